"""`dsm-kiosk queue`: list, resend, delete through the real CLI entry point."""

from __future__ import annotations

import json

from kiosk import cli
from kiosk.jobs import spool as sp
from kiosk.jobs.history import History


def test_queue_list_resend_delete(tmp_path, capsys):
    conf = tmp_path / "kiosk.toml"
    conf.write_text(f'[spool]\ndirectory = "{tmp_path / "spool"}"\nstate_directory = "{tmp_path / "state"}"\n')
    spool = sp.Spool(tmp_path / "spool")
    job_id = spool.create_job(
        user_sid="S",
        user_login="alice",
        job_name="J",
        process_name="Invoices",
        psp_identifier="x",
        scan_repository="srv",
        instructions_xml="<i/>",
        ticket={},
        format="jfif",
    )
    src = spool.work_dir(job_id) / "p"
    src.write_bytes(b"x")
    spool.add_document(job_id, src, format="jfif", pages=1)
    spool.finish_scan(job_id)
    spool.set_final(job_id, sp.FAILED, "psp unknown")
    history = History(tmp_path / "state", days=30)
    history.record(spool.job(job_id))

    assert cli.main(["--config", str(conf), "--json", "queue"]) == 0
    (row,) = json.loads(capsys.readouterr().out)
    assert row["job_id"] == job_id and row["state"] == "Failed" and row["reason"] == "psp unknown"

    assert cli.main(["--config", str(conf), "queue", "resend", job_id[:6]]) == 0
    assert spool.job(job_id).state == sp.QUEUED
    assert cli.main(["--config", str(conf), "queue", "resend", job_id]) == 6  # not failed any more
    assert "only Failed" in capsys.readouterr().err

    assert cli.main(["--config", str(conf), "queue", "delete", job_id]) == 0
    assert spool.jobs() == [] and not spool.job_dir(job_id).exists()
    assert history.for_user("S") == []  # gone from My jobs too
    history.close()
    assert cli.main(["--config", str(conf), "queue", "delete", "zzz"]) == 6


def test_an_unusable_spool_directory_is_a_clear_error(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    conf = tmp_path / "kiosk.toml"
    conf.write_text(f'[spool]\ndirectory = "{blocker / "spool"}"\n')
    assert cli.main(["--config", str(conf), "queue"]) == 6
    assert "cannot use the spool directory" in capsys.readouterr().err
