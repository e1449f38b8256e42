"""CPV suggestion and recommendations: the trained suggester, stored for every process."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TrainedModel(models.Model):
    """One trained CPV suggester (numpy arrays in ``.npz`` form); the newest one is used."""

    name = models.CharField(max_length=50, default="cpv-suggester", db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    data = models.BinaryField()
    examples = models.PositiveIntegerField(default=0)
    notices = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("trained model")

    def __str__(self) -> str:
        return f"{self.name} {self.created_at:%Y-%m-%d %H:%M}"
