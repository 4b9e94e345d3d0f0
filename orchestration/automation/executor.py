"""The executor every run uses, chosen by name (`Settings.executor`, from GONGKAI_EXECUTOR; docs/scaling.md)."""

from __future__ import annotations

import importlib

import dagster as dg

#: Executors that live in packages this image may not carry: name → (module, attribute).
DEPLOYMENT_EXECUTORS = {
    "k8s": ("dagster_k8s", "k8s_job_executor"),
    "celery": ("dagster_celery", "celery_executor"),
    "celery_k8s": ("dagster_celery_k8s", "celery_k8s_job_executor"),
}


def select_executor(name: str) -> dg.ExecutorDefinition:
    """The executor called `name`; the assets stay the same whichever runs them.

    `in_process` (default): the steps run one after another in the run's process. The chain is sequential anyway
    (dbt build is one step; documents are parsed in their own worker processes), and the multiprocess executor
    starts a process per step that loads the code location again: a UI refresh took 4 min that way against
    about 1 min in process. `multiprocess`, `k8s` (a Kubernetes Job per step; needs dagster-k8s), `celery` and
    `celery_k8s` (need dagster-celery / dagster-celery-k8s) are for deployments: their own settings come from run
    config (deploy/).
    """
    if name == "in_process":
        return dg.in_process_executor
    if name == "multiprocess":
        return dg.multiprocess_executor
    if name not in DEPLOYMENT_EXECUTORS:
        raise ValueError(
            f"GONGKAI_EXECUTOR={name!r}: expected in_process, multiprocess, {', '.join(DEPLOYMENT_EXECUTORS)}"
        )
    module, attribute = DEPLOYMENT_EXECUTORS[name]
    try:
        return getattr(importlib.import_module(module), attribute)
    except ImportError as error:
        raise ImportError(
            f"GONGKAI_EXECUTOR={name} needs the {module.replace('_', '-')} package in this image"
        ) from error
