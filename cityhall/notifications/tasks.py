from django_tasks import task

from cityhall.notifications.mail import deliver


@task()
def deliver_email(mail_id: int) -> bool:
    return deliver(mail_id)
