"""The search index: one row per thing a member can find (per audience, for profiles).

Rows hold plain integers for the section, organisation and prefecture rather than foreign keys:
the index belongs to no other app, is rebuilt from the sources at any time, and must never hold
up or cascade into another app's deletes. The full-text part lives beside this table: an FTS5
table kept in step by triggers on SQLite, a GIN index over the bigrams on PostgreSQL
(migration 0002).
"""

from django.db import models


class Audience(models.TextChoices):
    EVERYONE = "everyone"  # everyone the kind's visibility rule lets see it
    MEMBERS = "members"  # a profile as other members see it (fields kept to staff left out)
    STAFF = "staff"  # a profile as staff (and its owner) see it: every field


class Document(models.Model):
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.EVERYONE)
    parent_id = models.BigIntegerField(null=True, blank=True)  # a comment's post
    section_id = models.BigIntegerField(null=True, blank=True)
    organization_id = models.BigIntegerField(null=True, blank=True)
    prefecture_id = models.BigIntegerField(null=True, blank=True)
    tag = models.CharField(max_length=20, blank=True)  # e.g. a post's kind (question)
    created_at = models.DateTimeField()
    title = models.CharField(max_length=300)
    text = models.TextField()  # plain text for snippets, cut at TEXT_CHARS
    folded_title = models.TextField()
    folded = models.TextField()  # fold(title + text), whole: matches are checked against it
    tokens = models.TextField()  # index_tokens(folded)
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "audience"], name="search_document_unique"
            )
        ]
        indexes = [
            models.Index(fields=["kind", "parent_id"], name="search_doc_parent_idx"),
            models.Index(fields=["-created_at", "-id"], name="search_doc_newest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title[:30]}"


class Checkpoint(models.Model):
    """Up to when the periodic catch-up has looked at each kind's changes."""

    kind = models.CharField(max_length=20, unique=True)
    reached_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.kind} @ {self.reached_at:%Y-%m-%d %H:%M}"
