"""Core models. Plugins keep their own models in their package."""

from cms.models.accounts import ROLES, Unit, UnitAlias, User
from cms.models.audit import AuditLog
from cms.models.content import (
    POST_KINDS,
    POST_STATUSES,
    Category,
    Media,
    Post,
    PostComment,
    PostCorrection,
    PostPage,
    PostRevision,
    Tag,
)
from cms.models.distribution import EmbargoAccess, FeedState, Journalist, Mailing, Subscriber
from cms.models.gallery import PostImage
from cms.models.identity import SiteIdentity
from cms.models.jobs import JobRun
from cms.models.notices import Notification
from cms.models.press import PressContact, PressKitPhoto, PressRoom, ReleaseCounter
from cms.models.press_access import EmbargoPreviewLink, EmbargoSchedule, JournalistAccount
from cms.models.search import SearchTerm
from cms.models.sessions import LoginFailure, PasswordReset, UserSession

__all__ = [
    "SearchTerm",
    "ROLES",
    "Unit",
    "UnitAlias",
    "User",
    "AuditLog",
    "POST_KINDS",
    "POST_STATUSES",
    "Category",
    "Media",
    "Post",
    "PostComment",
    "PostCorrection",
    "PostPage",
    "PostRevision",
    "Tag",
    "EmbargoAccess",
    "FeedState",
    "Journalist",
    "Mailing",
    "Subscriber",
    "PostImage",
    "Notification",
    "JobRun",
    "EmbargoPreviewLink",
    "EmbargoSchedule",
    "JournalistAccount",
    "PressContact",
    "PressKitPhoto",
    "PressRoom",
    "ReleaseCounter",
    "SiteIdentity",
    "LoginFailure",
    "PasswordReset",
    "UserSession",
]
