# HOSTILE: leaves a process behind (its own session) holding connections to the portable sandbox's port open: silent, a
# partial hello, garbage; so that the next child's hello would wait behind them. squat() returns that process's pid.
import os
import socket
import sys
import time

import numpy as np


def _port():
    return int(sys.argv[-2])  # python -I -c <bootstrap> PORT LIMITS


def squat(count=80):
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:
        os.setsid()
        if os.fork() == 0:
            held = []
            for n in range(count):
                try:
                    sock = socket.create_connection(("127.0.0.1", _port()))
                except OSError:
                    break
                if n % 3 == 1:
                    sock.sendall(b"\x00\x00\x01\x00partial")
                elif n % 3 == 2:
                    sock.sendall(b"\xff\xff\xff\xffgarbage")
                held.append(sock)
            os.write(ready_w, str(os.getpid()).encode())
            time.sleep(120)
        os._exit(0)
    os.waitpid(pid, 0)
    os.close(ready_w)
    return int(os.read(ready_r, 32))


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
