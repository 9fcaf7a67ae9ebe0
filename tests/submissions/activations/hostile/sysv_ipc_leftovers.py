# HOSTILE: step creates System V shared memory (touched), a message queue holding a message and a semaphore, none removed, hoping they outlive the sandbox; its values are correct.
import ctypes

import numpy as np

KEYS = (0x5E1F0001, 0x5E1F0002, 0x5E1F0003)  # the grader's tests look for these keys
IPC_CREAT = 0o1000
CREATED = []


def _create():
    libc = ctypes.CDLL(None, use_errno=True)
    libc.shmat.restype = ctypes.c_void_p
    shmid = libc.shmget(KEYS[0], 4 << 20, IPC_CREAT | 0o666)
    if shmid >= 0:
        address = libc.shmat(shmid, None, 0)
        if address not in (None, ctypes.c_void_p(-1).value):
            ctypes.memset(address, 1, 4 << 20)
            libc.shmdt(ctypes.c_void_p(address))
        CREATED.append("shm")
    queue = libc.msgget(KEYS[1], IPC_CREAT | 0o666)
    if queue >= 0:
        message = ctypes.create_string_buffer(8 + 64)
        ctypes.memmove(message, (1).to_bytes(8, "little") + b"HOSTILE-MARK-5e1f", 8 + 17)
        libc.msgsnd(queue, message, 17, 0o4000)  # IPC_NOWAIT
        CREATED.append("msg")
    if libc.semget(KEYS[2], 1, IPC_CREAT | 0o666) >= 0:
        CREATED.append("sem")
    print("CREATED System V objects:", CREATED)


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
    if not CREATED:
        CREATED.append("tried")
        _create()
    return np.heaviside(np.asarray(z, dtype=float), 1.0)
