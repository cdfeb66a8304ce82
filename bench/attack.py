#!/usr/bin/env python3
"""`make bench`, phase 9: the portal under attack, on loopback only.

While wrk reads the post page (run by bench/run.sh), this sends, for DURATION seconds:
- waves of SIGNINS wrong sign-ins at once, each from its own forged client address (the server
  is started behind a "proxy": PORTAL_CLIENT_IP_HEADER), spread over four loopback sources, as a
  botnet would;
- HALFOPEN connections from 127.0.0.2 that send half a request head and then nothing, opened
  again as the server closes them (slowloris).
Prints what the sign-ins got, and how many half-open connections the server kept at the end.

Usage: attack.py HOST PORT DURATION SIGNINS HALFOPEN
"""

import asyncio
import collections
import random
import resource
import sys
import time

HOST, PORT = sys.argv[1], int(sys.argv[2])
DURATION, SIGNINS, HALFOPEN = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/142.0 Safari/537.36"
BODY = "username=quantri&password=khong-phai-mat-khau-123"


async def sign_in(source):
    forged = "198.18.%d.%d" % (random.randrange(256), random.randrange(1, 255))
    try:
        reader, writer = await asyncio.open_connection(HOST, PORT, local_addr=(source, 0))
    except OSError:
        return "connection refused"
    try:
        request = (
            "POST /api/sign_in HTTP/1.1\r\nHost: %s:%d\r\nUser-Agent: %s\r\n"
            "X-Forwarded-For: %s\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            "Content-Length: %d\r\nConnection: close\r\n\r\n%s"
        ) % (HOST, PORT, UA, forged, len(BODY), BODY)
        writer.write(request.encode())
        await writer.drain()
        line = await asyncio.wait_for(reader.readline(), 30)
        parts = line.split()
        return parts[1].decode() if len(parts) > 1 else "closed"
    except (OSError, asyncio.TimeoutError):
        return "closed"
    finally:
        writer.close()


async def sign_ins(deadline, results):
    sources = ["127.0.0.%d" % n for n in range(10, 14)]
    while time.monotonic() < deadline:
        wave = [sign_in(sources[i % len(sources)]) for i in range(SIGNINS)]
        for status in await asyncio.gather(*wave):
            results[status] += 1


async def half_open(deadline, kept):
    """One slowloris connection, opened again whenever the server closes it."""
    while time.monotonic() < deadline:
        try:
            reader, writer = await asyncio.open_connection(HOST, PORT, local_addr=("127.0.0.2", 0))
        except OSError:
            await asyncio.sleep(0.5)
            continue
        held = False
        try:
            writer.write(b"GET / HTTP/1.1\r\nHost: x\r\nUser-Agent: slow")
            await writer.drain()
            # Held: still open half a second later (one over the share is closed at once).
            try:
                await asyncio.wait_for(reader.read(1), 0.5)
            except asyncio.TimeoutError:
                held = True
                kept[0] += 1
                # Waits until the server closes it (or the run ends).
                await asyncio.wait_for(reader.read(1), max(0.1, deadline - time.monotonic()))
        except (OSError, asyncio.TimeoutError):
            pass
        finally:
            if held:
                kept[0] -= 1
            writer.close()
        await asyncio.sleep(0.2)


async def main():
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, HALFOPEN + SIGNINS + 256)), hard))
    deadline = time.monotonic() + DURATION
    results = collections.Counter()
    kept = [0]
    tasks = [asyncio.create_task(half_open(deadline, kept)) for _ in range(HALFOPEN)]
    await asyncio.sleep(2)
    held = kept[0]
    await sign_ins(deadline, results)
    await asyncio.gather(*tasks, return_exceptions=True)
    total = sum(results.values())
    shown = ", ".join("%s: %d" % (k, v) for k, v in sorted(results.items()))
    print("  wrong sign-ins sent: %d (%s)" % (total, shown))
    print("  half-open connections: %d opened at once from 127.0.0.2, %d held by the server two seconds later" % (HALFOPEN, held))


asyncio.run(main())
