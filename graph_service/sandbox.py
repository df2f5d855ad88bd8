"""Threads that cannot open a network connection: where Oxigraph evaluates user SPARQL.

Oxigraph evaluates ``SERVICE`` and ``LOAD`` by itself, over HTTP, and pyoxigraph has no switch
to turn that off (no service handler, no "no HTTP client" option, no proxy setting). What is
said in a query is first checked by ``graph_service.outbound`` with a real SPARQL parser, but
that parser is not Oxigraph's, so the evaluation itself runs on threads that the kernel
stops from making connections: ``deny_network()`` installs a seccomp filter on the calling
thread (Linux keeps filters per thread, and threads it starts inherit them) under which
``socket``, ``connect`` and ``io_uring_setup`` fail with EPERM. Oxigraph then gets
"Operation not permitted" where it would have connected; nothing leaves the machine.

Calls to allowlisted ``SERVICE`` endpoints are made by ``graph_service.linking.federation`` on the
request's own thread, before evaluation, so the filter never stands in their way.

Linux on x86-64 and AArch64 only (the syscall numbers differ by architecture); elsewhere
``deny_network()`` returns False and the parser check is the only guard.
"""

from __future__ import annotations

import ctypes
import errno
import platform
import struct
import sys

# linux/prctl.h, linux/seccomp.h, linux/audit.h, linux/filter.h
_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_SECCOMP = 22
_SECCOMP_MODE_FILTER = 2
_RET_ALLOW = 0x7FFF0000
_RET_ERRNO = 0x00050000
_LD_W_ABS = 0x20           # BPF_LD | BPF_W | BPF_ABS
_JEQ_K = 0x15              # BPF_JMP | BPF_JEQ | BPF_K
_JGE_K = 0x35              # BPF_JMP | BPF_JGE | BPF_K
_RET_K = 0x06              # BPF_RET | BPF_K
_X32_BIT = 0x40000000      # x32 syscalls carry this bit under the x86-64 audit arch

# machine -> (audit arch, syscalls denied: socket, connect, io_uring_setup)
_ARCHES = {
    "x86_64": (0xC000003E, (41, 42, 425)),
    "aarch64": (0xC00000B7, (198, 203, 425)),
}


class _SockFprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def _insn(code: int, jt: int, jf: int, k: int) -> bytes:
    return struct.pack("HBBI", code, jt, jf, k)


def _program(arch: int, denied: tuple[int, ...]) -> list[bytes]:
    deny = _RET_ERRNO | errno.EPERM
    prog = [_insn(_LD_W_ABS, 0, 0, 4),              # seccomp_data.arch
            _insn(_JEQ_K, 1, 0, arch),
            _insn(_RET_K, 0, 0, deny),             # another ABI: deny everything
            _insn(_LD_W_ABS, 0, 0, 0),              # seccomp_data.nr
            _insn(_JGE_K, 0, 1, _X32_BIT),
            _insn(_RET_K, 0, 0, deny)]
    for i, nr in enumerate(denied):
        prog.append(_insn(_JEQ_K, len(denied) - i, 0, nr))   # to the final "deny"
    prog += [_insn(_RET_K, 0, 0, _RET_ALLOW), _insn(_RET_K, 0, 0, deny)]
    return prog


def supported() -> bool:
    return sys.platform == "linux" and platform.machine() in _ARCHES


def deny_network() -> bool:
    """Forbid new sockets and connections on the calling thread (and threads it starts) for
    good. True when the filter is in place, False when this platform cannot have it."""
    if not supported():
        return False
    arch, denied = _ARCHES[platform.machine()]
    code = b"".join(_program(arch, denied))
    buf = ctypes.create_string_buffer(code, len(code))
    prog = _SockFprog(len(code) // 8, ctypes.addressof(buf))
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return False
    return libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(prog), 0, 0) == 0
