"""Small findings of the issue-19 trial: windows opening on a day off, field
errors naming their field once, future sengketa dates, raw values in letters
and mail, the KI's address."""

from __future__ import annotations

import re

import time_machine

from tests.plugins.inbox.test_roads_by_ground import _mail, _track


def test_a_keberatan_window_opening_on_a_saturday_says_when_the_counter_opens(client, submit, mailbox):
    with time_machine.travel("2026-10-02 02:00:00", tick=False):  # a Friday: due Friday 16 Oct
        number, code = submit(email="budi@contoh.id")
        expected = (
            "Bila pemberitahuan tertulis belum Anda terima sampai Jumat, 16 Oktober 2026, Anda dapat mengajukan "
            "keberatan mulai Sabtu, 17 Oktober 2026 sampai "
        )
        note = (
            "Hari itu bukan hari kerja: keberatan dapat diajukan melalui laman PPID hari itu juga, "
            "di loket PPID mulai Senin, 19 Oktober 2026."
        )
        for text in (_mail(mailbox, "Tanda terima permohonan"), _track(client, number, code)):
            assert expected in text and note in text
    with time_machine.travel("2026-10-05 02:00:00", tick=False):  # a Monday due: no note
        submit(email="budi@contoh.id")
        assert "bukan hari kerja" not in _mail(mailbox, "Tanda terima permohonan")
        assert re.search("mulai Selasa, 20 Oktober 2026", _mail(mailbox, "Tanda terima permohonan"))
