"""Attachments: images and PDF up to 10 MB, recognised by their first bytes (not by name), stored outside the web
root under a random name (the folder COMPLAINT_FILES_DIR, by default instance/complaint-files)."""

import os
import re
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlmodel import Session, select
from werkzeug.datastructures import FileStorage

from app.complaints.models import Complaint, ComplaintAttachment
from app.complaints.services import log
from app.core.errors import NotFound, ValidationFailed
from app.core.ids import new_id
from app.identity.models import Person

MAX_BYTES = 10 * 1024 * 1024
MAX_PER_COMPLAINT = 10
_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def sniff(head: bytes) -> str | None:
    """The content type the file's first bytes show, if it is one we accept."""
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[4:8] == b"ftyp" and head[8:12] in (b"heic", b"heix", b"mif1", b"msf1"):
        return "image/heic"
    return None


def folder() -> Path:
    """Where the files are kept (never under app/static)."""
    return Path(current_app.config.get("COMPLAINT_FILES_DIR") or Path(current_app.instance_path) / "complaint-files")


def clean_name(name: str) -> str:
    """The file name to show: no paths or control characters; Frisian letters and emoji stay."""
    name = _UNSAFE.sub("_", os.path.basename((name or "").replace("\\", "/"))).strip(" ._")
    return name[-120:] or "bestand"


def add_attachment(session: Session, *, person: Person, complaint: Complaint,
                   upload: FileStorage | None) -> ComplaintAttachment:
    """Check and store one file for the complaint."""
    if upload is None or not upload.filename:
        raise ValidationFailed([("file", _("Choose a photo or a PDF file first."))])
    data = upload.stream.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise ValidationFailed([("file", _("This file is larger than 10 MB. Make the photo smaller or send "
                                           "fewer pages."))])
    content_type = sniff(data[:16]) if data else None
    if content_type is None:
        raise ValidationFailed([("file", _("This file is not a photo or a PDF. You can add photos (JPG, PNG, "
                                           "HEIC) and PDF files."))])
    count = len(session.exec(select(ComplaintAttachment.id).where(
        ComplaintAttachment.complaint_id == complaint.id)).all())
    if count >= MAX_PER_COMPLAINT:
        raise ValidationFailed([("file", _("A complaint can have at most %(max)d files.", max=MAX_PER_COMPLAINT))])
    attachment = ComplaintAttachment(complaint_id=complaint.id, added_by_id=person.id,
                                     filename=clean_name(upload.filename), storage_name=new_id(),
                                     content_type=content_type, size_bytes=len(data))
    target = folder()
    target.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(target / attachment.storage_name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as stored:
        stored.write(data)
    session.add(attachment)
    session.flush()
    log(session, complaint, person, "complaint.attach", "create", object_id=attachment.id)
    return attachment


def attachment_file(session: Session, *, complaint: Complaint, attachment_id: str, person: Person,
                    role: str) -> tuple[ComplaintAttachment, Path]:
    """One file of a complaint the caller may see, and where it is; opening it is logged."""
    attachment = session.get(ComplaintAttachment, attachment_id) if attachment_id else None
    if attachment is None or attachment.complaint_id != complaint.id:
        raise NotFound(attachment_id or "attachment")
    path = folder() / attachment.storage_name
    if not path.is_file():
        raise NotFound(attachment_id)
    log(session, complaint, person, "complaint.attachment_view", "read", role=role, object_id=attachment.id)
    return attachment, path
