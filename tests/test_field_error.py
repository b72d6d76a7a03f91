"""One type for "this form field is refused": every room's error is a
``FieldError`` and views show it under the field it names."""

from __future__ import annotations

import pytest
from wtforms import Form, StringField

from cms import api
from cms.accounts import AccountError
from cms.errors import FieldError, show_on_form
from cms.feeds.subscriptions import DistributionError
from cms.newsroom.posts import ConflictError, WorkflowError
from plugins.crosspost.calendar import BadFilter
from plugins.dip.files import DipError
from plugins.inbox.services import InboxError


@pytest.mark.parametrize(
    "error",
    [
        AccountError("E-mail sudah dipakai.", "email"),
        WorkflowError("E-mail sudah dipakai.", "email"),
        ConflictError("E-mail sudah dipakai.", "email"),
        DistributionError("E-mail sudah dipakai.", "email"),
        DipError("E-mail sudah dipakai.", "email"),
        InboxError("E-mail sudah dipakai.", "email"),
        BadFilter("email", "E-mail sudah dipakai."),
    ],
    ids=lambda error: type(error).__name__,
)
def test_every_rooms_field_error_is_the_one_type(error):
    assert isinstance(error, api.FieldError) and isinstance(error, ValueError)
    assert (error.field, error.message, str(error)) == ("email", "E-mail sudah dipakai.", "E-mail sudah dipakai.")


class _Form(Form):
    email = StringField()
    unit_id = StringField()


def test_show_on_form_puts_the_message_under_the_named_field():
    form = _Form()
    show_on_form(form, AccountError("Unit tidak dikenal.", "unit"), "email", names={"unit": "unit_id"})
    show_on_form(form, FieldError("Formulir tidak lengkap."), "email")
    show_on_form(form, FieldError("Kolom ini tidak ada di formulir.", "nik"), "email")
    assert list(form.unit_id.errors) == ["Unit tidak dikenal."]
    assert list(form.email.errors) == ["Formulir tidak lengkap.", "Kolom ini tidak ada di formulir."]
