"""The cache's hook implementations (registered by ``cms.cache.install``):
store an item page as soon as it is published or updated, and refill the
stored pages a deploy, an import or a renamed category made stale."""

from __future__ import annotations

from cms.hookspecs import PeriodicTask, hookimpl
from cms.jobs import enqueue


def _render_missing_pages():
    from cms.cache import post_pages

    return post_pages.refresh(limit=2000)  # ~3 s: never holds up a due publication for long


# trylast: core runs after every plugin (docs/plugin-lifecycle.md#hook-order).
@hookimpl(trylast=True)
def cms_periodic_tasks():
    # Names kept from when the newsroom owned them: schedules and queued jobs survive a deploy.
    return [PeriodicTask(name="newsroom.render_pages", func=_render_missing_pages, schedule={"minute": "*"})]


# trylast: registered after every plugin, yet run after them as the newsroom's
# own implementation did (rendering in immediate job mode is the slowest).
@hookimpl(trylast=True)
def cms_post_published(post):
    enqueue("newsroom.render_page", post.id)


@hookimpl(trylast=True)
def cms_post_updated(post):
    enqueue("newsroom.render_page", post.id)
