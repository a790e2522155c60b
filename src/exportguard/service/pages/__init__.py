"""The pages beyond screening and review (those are in `service.web`): one module per resource,
all sharing `web.page` and its sign-in, role and CSRF checks."""

from fastapi import APIRouter

from exportguard.service.pages import admin, items, parties, release

router = APIRouter(include_in_schema=False)
router.include_router(items.router)
router.include_router(parties.router)
router.include_router(admin.router)
router.include_router(release.router)

__all__ = ["router"]
