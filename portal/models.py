"""The one table the project package owns: background jobs waiting for the in-process worker."""

from django.db import models


class Job(models.Model):
    """A task to run in the scheduler process (`run_scheduled`) of a deployment without a broker.

    Written in the transaction of the change that asks for it, so the work is recorded exactly when
    the change commits; the web request that wrote it returns at once.
    """

    task = models.CharField(max_length=200)
    args = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    # Claimed by a runner until this moment; a runner that died lets the job go again afterwards.
    claimed_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"


class Heartbeat(models.Model):
    """When a long-running process (the scheduler: celery beat or `run_scheduled`) last showed life.

    `/healthz` reports a heartbeat older than a few scheduler periods, so a dead scheduler is seen.
    """

    name = models.CharField(max_length=50, primary_key=True)
    at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name} {self.at.isoformat()}"
