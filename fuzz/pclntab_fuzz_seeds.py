# Seeds for fuzz/pclntab_fuzz: synthetic tables in every layout, byte order and pointer size,
# and small ELF files that hold a table by section or only in a segment.
import struct, sys, os
out = sys.argv[1]
MAGIC = {'12': 0xfffffffb, '116': 0xfffffffa, '118': 0xfffffff0, '120': 0xfffffff1}
FUNCS = [(0x1000, 'runtime.main'), (0x1040, 'main.main'), (0x10a0, 'net/http.(*Server).Shutdown'),
         (0x1100, 'os/signal.Notify'), (0x1200, 'net._C2func_getaddrinfo'),
         (0x1300, 'crypto/tls.(*Conn).clientHandshake-fm'), (0x1400, 'time/tzdata.init.0')]
def put(b, at, v, w, e):
    need = at + w
    if len(b) < need: b.extend(b'\0' * (need - len(b)))
    b[at:at+w] = v.to_bytes(w, 'little' if e == '<' else 'big')
def table(ver, e, ptr, q, funcs, end=0x2000):
    b = bytearray()
    put(b, 0, MAGIC[ver], 4, e); b[4:8] = bytes([0, 0, q, ptr])
    n = len(funcs)
    if ver == '12':
        put(b, 8, n, ptr, e); ft = 8 + ptr; after = ft + (2*n+1)*ptr; put(b, after, 0, 4, e)
        offs = []
        for _, name in funcs:
            offs.append(len(b)); b.extend(name.encode() + b'\0')
        for i, (entry, _) in enumerate(funcs):
            rec = len(b); put(b, rec, entry, ptr, e); put(b, rec+ptr, offs[i], 4, e)
            put(b, ft+2*i*ptr, entry, ptr, e); put(b, ft+(2*i+1)*ptr, rec, ptr, e)
        put(b, ft+2*n*ptr, end, ptr, e); return bytes(b)
    v118 = ver in ('118', '120'); words = 8 if v118 else 7; field = 4 if v118 else ptr
    def word(i, v): put(b, 8+i*ptr, v, ptr, e)
    word(0, n); word(1, 0)
    if v118: word(2, 0x401000)
    names = 8 + words*ptr; b.extend(b'\0' * (names - len(b)))
    offs = []
    for _, name in funcs:
        offs.append(len(b) - names); b.extend(name.encode() + b'\0')
    pcln = len(b); first = 3 if v118 else 2
    for k in range(5): word(first + k, names if k == 0 else pcln)
    recs = pcln + (2*n+1)*field
    for i, (entry, _) in enumerate(funcs):
        rec = recs + i*(field+4); put(b, rec, entry, field, e); put(b, rec+field, offs[i], 4, e)
        put(b, pcln+2*i*field, entry, field, e); put(b, pcln+(2*i+1)*field, rec-pcln, field, e)
    put(b, pcln+2*n*field, end, field, e); return bytes(b)
def elf64(tab, e, with_section):
    # ELF header, one PT_LOAD (R) program header, the table, optional .gopclntab section.
    data_off = 0x40 + 0x38
    shstr = b'\0.gopclntab\0.shstrtab\0'
    body = tab + shstr
    shoff = data_off + len(body); shoff += (-shoff) % 8
    mach = 62 if e == '<' else 22
    shnum = 3 if with_section else 0
    h = b'\x7fELF' + bytes([2, 1 if e == '<' else 2, 1, 0]) + b'\0'*8
    h += struct.pack(e+'HHIQQQIHHHHHH', 2, mach, 1, 0x401000, 0x40, shoff if with_section else 0, 0,
                     0x40, 0x38, 1, 0x40, shnum, 2 if with_section else 0)
    ph = struct.pack(e+'IIQQQQQQ', 1, 4, data_off, 0x400000+data_off, 0x400000+data_off,
                     len(body), len(body), 0x1000)
    f = bytearray(h + ph + body); f.extend(b'\0' * (shoff - len(f)))
    if with_section:
        f += b'\0' * 0x40
        f += struct.pack(e+'IIQQQQIIQQ', 1, 1, 2, 0x400000+data_off, data_off, len(tab), 0, 0, 32, 0)
        f += struct.pack(e+'IIQQQQIIQQ', 12, 3, 0, 0, data_off+len(tab), len(shstr), 0, 0, 1, 0)
    return bytes(f)
os.makedirs(out, exist_ok=True)
for ver in MAGIC:
    for e in '<>':
        for ptr in (4, 8):
            t = table(ver, e, ptr, 4 if ptr == 4 else 1, FUNCS)
            open(f'{out}/table-go{ver}-{"le" if e=="<" else "be"}{ptr*8}', 'wb').write(t)
for e in '<>':
    t = table('118', e, 8, 1, FUNCS)
    name = 'le' if e == '<' else 'be'
    open(f'{out}/elf-section-{name}', 'wb').write(elf64(t, e, True))
    open(f'{out}/elf-scan-{name}', 'wb').write(elf64(t, e, False))
open(f'{out}/table-truncated', 'wb').write(table('120', '<', 8, 1, FUNCS)[:100])
