"""The demo's outgoing mail server: an SMTP server on 127.0.0.1 that accepts every
message and stores it as a .eml file (open it with any mail client, or read it).

    python scripts/demo_smtp.py MAIL_DIR [PORT]
"""

import sys
import time
from itertools import count
from pathlib import Path

from aiosmtpd.controller import Controller


class StoreAsFile:
    def __init__(self, folder):
        self.folder = folder
        self.numbers = count(1)

    async def handle_DATA(self, server, session, envelope):
        recipients = "_".join(envelope.rcpt_tos)[:80].replace("/", "_")
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{next(self.numbers):04d}-{recipients}.eml"
        (self.folder / name).write_bytes(envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


def main():
    folder = Path(sys.argv[1])
    folder.mkdir(parents=True, exist_ok=True)
    port = int(sys.argv[2]) if len(sys.argv) > 2 else 2525
    controller = Controller(
        StoreAsFile(folder), hostname="127.0.0.1", port=port, data_size_limit=0
    )
    controller.start()
    print(f"SMTP on 127.0.0.1:{port}, messages stored in {folder}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
