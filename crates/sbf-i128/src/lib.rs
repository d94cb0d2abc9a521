//! LLVM lowers `mul/udiv/urem/sdiv/srem i128` on BPF to libcalls that take
//! i128 values in register pairs and return them in registers. rustc 1.96's
//! BPF ABI instead returns i128 through a hidden pointer (sret), so Rust
//! definitions of these builtins do not match what LLVM's codegen calls.
//! `extern "unadjusted"` makes rustc emit the raw LLVM signature
//! `i128 (i128, i128)`, which matches the libcall convention.
#![no_std]
#![cfg_attr(target_arch = "bpf", feature(abi_unadjusted))]
#![allow(internal_features)]

/// `(u1·2⁶⁴ + u0) / v` and the remainder, for `u1 < v` (Hacker's Delight `divlu`, Knuth D
/// with 32-bit digits): about fifty u64 operations instead of a 128-step bit loop.
#[inline(always)]
pub fn div_128_by_64(u1: u64, u0: u64, v: u64) -> (u64, u64) {
    const B: u64 = 1 << 32;
    let s = v.leading_zeros();
    let v = v << s;
    let (vn1, vn0) = (v >> 32, v & 0xffff_ffff);
    let un32 = if s == 0 {
        u1
    } else {
        (u1 << s) | (u0 >> (64 - s))
    };
    let un10 = u0 << s;
    let (un1, un0) = (un10 >> 32, un10 & 0xffff_ffff);

    let mut q1 = un32 / vn1;
    let mut rhat = un32 - q1 * vn1;
    while q1 >= B || q1 * vn0 > (rhat << 32) + un1 {
        q1 -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    let un21 = (un32 << 32)
        .wrapping_add(un1)
        .wrapping_sub(q1.wrapping_mul(v));
    let mut q0 = un21 / vn1;
    rhat = un21 - q0 * vn1;
    while q0 >= B || q0 * vn0 > (rhat << 32) + un0 {
        q0 -= 1;
        rhat += vn1;
        if rhat >= B {
            break;
        }
    }
    let r = (un21 << 32)
        .wrapping_add(un0)
        .wrapping_sub(q0.wrapping_mul(v))
        >> s;
    ((q1 << 32) | q0, r)
}

#[cfg(test)]
mod tests {
    #[test]
    fn div_128_by_64_matches_native() {
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        for i in 0..200_000 {
            let v = match i % 4 {
                0 => next() | 1,
                1 => (next() >> (next() % 63)) | 1,
                2 => u64::MAX - (next() % 3),
                _ => 1 + next() % 1_000,
            };
            let u1 = next() % v;
            let u0 = next();
            let n = ((u1 as u128) << 64) | u0 as u128;
            let (q, r) = super::div_128_by_64(u1, u0, v);
            assert_eq!(
                (q as u128, r as u128),
                (n / v as u128, n % v as u128),
                "{n} / {v}"
            );
        }
    }
}

#[cfg(target_arch = "bpf")]
mod imp {
    #[inline(always)]
    fn split(x: u128) -> (u64, u64) {
        (x as u64, (x >> 64) as u64)
    }
    #[inline(always)]
    fn join(lo: u64, hi: u64) -> u128 {
        ((hi as u128) << 64) | lo as u128
    }
    #[inline(always)]
    fn mul_wide(a: u64, b: u64) -> (u64, u64) {
        let (a0, a1) = (a & 0xffff_ffff, a >> 32);
        let (b0, b1) = (b & 0xffff_ffff, b >> 32);
        let p00 = a0 * b0;
        let p01 = a0 * b1;
        let p10 = a1 * b0;
        let p11 = a1 * b1;
        let mid = (p00 >> 32) + (p01 & 0xffff_ffff) + (p10 & 0xffff_ffff);
        let lo = (p00 & 0xffff_ffff) | (mid << 32);
        let hi = p11 + (p01 >> 32) + (p10 >> 32) + (mid >> 32);
        (lo, hi)
    }
    #[inline(always)]
    fn ge(a: (u64, u64), b: (u64, u64)) -> bool {
        a.1 > b.1 || (a.1 == b.1 && a.0 >= b.0)
    }
    #[inline(always)]
    fn sub(a: (u64, u64), b: (u64, u64)) -> (u64, u64) {
        let (lo, borrow) = a.0.overflowing_sub(b.0);
        (lo, a.1.wrapping_sub(b.1).wrapping_sub(borrow as u64))
    }
    #[inline(always)]
    fn neg(a: (u64, u64)) -> (u64, u64) {
        sub((0, 0), a)
    }
    /// Returns (quotient, remainder). Division by zero returns (0, n).
    #[inline(never)]
    fn udivmod(n: (u64, u64), d: (u64, u64), out: &mut [u64; 4]) {
        if n.1 == 0 && d.1 == 0 {
            if d.0 == 0 {
                *out = [0, 0, n.0, 0];
            } else {
                *out = [n.0 / d.0, 0, n.0 % d.0, 0];
            }
            return;
        }
        if !ge(n, d) {
            *out = [0, 0, n.0, n.1];
            return;
        }
        if d.1 == 0 {
            let (q_hi, r_hi) = (n.1 / d.0, n.1 % d.0);
            let (q_lo, r) = super::div_128_by_64(r_hi, n.0, d.0);
            *out = [q_lo, q_hi, r, 0];
            return;
        }
        let bits = if n.1 != 0 {
            128 - n.1.leading_zeros()
        } else {
            64 - n.0.leading_zeros()
        };
        let mut q = (0u64, 0u64);
        let mut r = (0u64, 0u64);
        let mut i = bits;
        while i > 0 {
            i -= 1;
            let bit = if i >= 64 {
                (n.1 >> (i - 64)) & 1
            } else {
                (n.0 >> i) & 1
            };
            r = ((r.0 << 1) | bit, (r.1 << 1) | (r.0 >> 63));
            if ge(r, d) {
                r = sub(r, d);
                if i >= 64 {
                    q.1 |= 1 << (i - 64)
                } else {
                    q.0 |= 1 << i
                }
            }
        }
        *out = [q.0, q.1, r.0, r.1];
    }

    #[unsafe(no_mangle)]
    pub extern "unadjusted" fn __multi3(a: i128, b: i128) -> i128 {
        let (al, ah) = split(a as u128);
        let (bl, bh) = split(b as u128);
        let (lo, hi) = mul_wide(al, bl);
        let hi = hi
            .wrapping_add(al.wrapping_mul(bh))
            .wrapping_add(ah.wrapping_mul(bl));
        join(lo, hi) as i128
    }
    #[unsafe(no_mangle)]
    pub extern "unadjusted" fn __udivti3(n: u128, d: u128) -> u128 {
        let mut o = [0u64; 4];
        udivmod(split(n), split(d), &mut o);
        join(o[0], o[1])
    }
    #[unsafe(no_mangle)]
    pub extern "unadjusted" fn __umodti3(n: u128, d: u128) -> u128 {
        let mut o = [0u64; 4];
        udivmod(split(n), split(d), &mut o);
        join(o[2], o[3])
    }
    #[unsafe(no_mangle)]
    pub extern "unadjusted" fn __divti3(n: i128, d: i128) -> i128 {
        let (nn, dn) = (n < 0, d < 0);
        let un = if nn {
            neg(split(n as u128))
        } else {
            split(n as u128)
        };
        let ud = if dn {
            neg(split(d as u128))
        } else {
            split(d as u128)
        };
        let mut o = [0u64; 4];
        udivmod(un, ud, &mut o);
        let q = if nn != dn {
            neg((o[0], o[1]))
        } else {
            (o[0], o[1])
        };
        join(q.0, q.1) as i128
    }
    #[unsafe(no_mangle)]
    pub extern "unadjusted" fn __modti3(n: i128, d: i128) -> i128 {
        let (nn, dn) = (n < 0, d < 0);
        let un = if nn {
            neg(split(n as u128))
        } else {
            split(n as u128)
        };
        let ud = if dn {
            neg(split(d as u128))
        } else {
            split(d as u128)
        };
        let mut o = [0u64; 4];
        udivmod(un, ud, &mut o);
        let r = if nn { neg((o[2], o[3])) } else { (o[2], o[3]) };
        join(r.0, r.1) as i128
    }
}
