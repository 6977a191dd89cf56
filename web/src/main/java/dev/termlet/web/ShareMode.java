package dev.termlet.web;

/** What the visitors of a share link may do. */
public enum ShareMode {
    /** Download: the file, or the folder's files (listed), one by one or as a zip. */
    READ,
    /** Download as {@link #READ}, and upload into the folder and its subfolders. */
    WRITE,
    /** A drop box: upload into the folder only; nothing is listed or downloaded, and nothing is replaced. */
    UPLOAD_ONLY
}
