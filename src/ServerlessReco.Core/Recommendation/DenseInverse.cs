using System.Numerics;
using System.Runtime.CompilerServices;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// In-place inverse of a symmetric positive-definite matrix by the blocked sweep operator. Each step sweeps
/// a block of b pivots with one rank-b update of the lower triangle, done by a register-tiled SIMD kernel
/// (4 rows × 2 vectors) with rows split across cores: about n³/2 multiply-adds in all.
/// The matrix is row-major with a row stride that is a multiple of <see cref="Padding"/>; rows and columns
/// beyond n must hold the identity (see <see cref="PaddedSize"/>).
/// </summary>
internal static class DenseInverse
{
    public const int Padding = 16;
    private const int Block = 64;
    private const int RowChunk = 16;

    /// <summary>The padded order m ≥ n to allocate (m × m, identity beyond n).</summary>
    public static int PaddedSize(int n) => (n + Padding - 1) / Padding * Padding;

    public static void InvertSymmetric(double[] a, int m, CancellationToken cancellationToken = default)
    {
        if (m % Padding != 0 || a.Length < m * m)
        {
            throw new ArgumentException("The matrix must be m × m with m a multiple of the padding.", nameof(m));
        }

        var width = Vector<double>.Count;
        if (!Vector.IsHardwareAccelerated || width > 8 || 8 % width != 0)
        {
            width = 0; // scalar kernel
        }

        var v = new double[m * Block];
        var vt = new double[Block * m];
        var w = new double[m * Block];
        var d = new double[Block * Block];
        for (var k0 = 0; k0 < m; k0 += Block)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var b = Math.Min(Block, m - k0);
            var k1 = k0 + b;

            // V[j, p] = A[j, k0 + p], read from the lower triangle; D = inverse of A[K, K].
            for (var j = 0; j < m; j++)
            {
                for (var p = 0; p < b; p++)
                {
                    var col = k0 + p;
                    var value = j >= col ? a[(j * m) + col] : a[(col * m) + j];
                    v[(j * b) + p] = value;
                    vt[(p * m) + j] = value;
                }
            }

            for (var i = 0; i < b; i++)
            {
                Array.Copy(v, (k0 + i) * b, d, i * b, b);
            }

            InvertSmall(d, b);

            // W = V × D, by the same kernel: W = 0 − V × (−D).
            var negD = new double[b * b];
            for (var i = 0; i < negD.Length; i++)
            {
                negD[i] = -d[i];
            }

            Array.Clear(w);
            Parallel.For(0, m / RowChunk, c =>
            {
                for (var i = c * RowChunk; i < (c + 1) * RowChunk; i += 4)
                {
                    for (var q0 = 0; q0 < b; q0 += 8)
                    {
                        if (width > 0)
                        {
                            Kernel4x8(ref v[i * b], b, ref negD[q0], b, ref w[(i * b) + q0], b, width);
                        }
                        else
                        {
                            ScalarKernel(v, i * b, b, negD, q0, b, w, (i * b) + q0, b);
                        }
                    }
                }
            });

            // Lower triangle: A[R, R] −= W Vᵀ, then A[R, K] = W, A[K, R] = Wᵀ, A[K, K] = −D.
            var chunks = m / RowChunk;
            Parallel.For(0, chunks, c =>
            {
                var i0 = c * RowChunk;
                var i1 = i0 + RowChunk;
                UpdateChunk(a, m, vt, w, b, k0, k1, i0, i1, width);
                for (var i = i0; i < i1; i++)
                {
                    var row = i * m;
                    if (i >= k1)
                    {
                        Array.Copy(w, i * b, a, row + k0, b);
                    }
                    else if (i >= k0)
                    {
                        for (var j = 0; j < k0; j++)
                        {
                            a[row + j] = w[(j * b) + i - k0];
                        }

                        for (var j = k0; j <= i; j++)
                        {
                            a[row + j] = -d[((i - k0) * b) + j - k0];
                        }
                    }
                }
            });
        }

        // Sweeping every pivot leaves −A⁻¹ in the lower triangle: negate and mirror.
        Parallel.For(0, m, i =>
        {
            for (var j = 0; j <= i; j++)
            {
                a[(i * m) + j] = -a[(i * m) + j];
            }
        });
        Parallel.For(0, m, i =>
        {
            for (var j = i + 1; j < m; j++)
            {
                a[(i * m) + j] = a[(j * m) + i];
            }
        });
    }

    /// <summary>
    /// Rows [i0, i1) (outside K): A[i, j] −= Σp W[i, p] Vᵀ[p, j] for j up to the chunk's last row, in
    /// 16-column tiles so a tile of Vᵀ serves every row of the chunk from cache. Entries above the diagonal
    /// and in K's columns get updated too: they are never read and are overwritten afterwards.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void UpdateChunk(double[] a, int m, double[] vt, double[] w, int b, int k0, int k1, int i0, int i1, int width)
    {
        if (i0 < k1 && i1 > k0)
        {
            // The chunk overlaps K (RowChunk divides Block): handled whole by the caller's overwrite,
            // except its rows outside K, which cannot exist because K is aligned to the chunk size.
            return;
        }

        var jEnd = i1;
        for (var j0 = 0; j0 < jEnd; j0 += 8)
        {
            for (var i = i0; i < i1; i += 4)
            {
                if (width > 0)
                {
                    Kernel4x8(ref w[i * b], b, ref vt[j0], m, ref a[(i * m) + j0], m, width);
                }
                else
                {
                    ScalarKernel(w, i * b, b, vt, j0, m, a, (i * m) + j0, m);
                }
            }
        }
    }

    /// <summary>C[r, 0..8) −= Σp W[r, p] · Vᵀ[p, 0..8) for r in 0..4, with 8 vector accumulators.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Kernel4x8(ref double w, int b, ref double vt, int ldv, ref double c, int ldc, int width)
    {
        if (width == 4)
        {
            Vector<double> a00 = default, a01 = default, a10 = default, a11 = default;
            Vector<double> a20 = default, a21 = default, a30 = default, a31 = default;
            for (var p = 0; p < b; p++)
            {
                ref var row = ref Unsafe.Add(ref vt, p * ldv);
                var v0 = Unsafe.As<double, Vector<double>>(ref row);
                var v1 = Unsafe.As<double, Vector<double>>(ref Unsafe.Add(ref row, 4));
                var w0 = new Vector<double>(Unsafe.Add(ref w, p));
                var w1 = new Vector<double>(Unsafe.Add(ref w, b + p));
                var w2 = new Vector<double>(Unsafe.Add(ref w, (2 * b) + p));
                var w3 = new Vector<double>(Unsafe.Add(ref w, (3 * b) + p));
                a00 = Vector.FusedMultiplyAdd(w0, v0, a00);
                a01 = Vector.FusedMultiplyAdd(w0, v1, a01);
                a10 = Vector.FusedMultiplyAdd(w1, v0, a10);
                a11 = Vector.FusedMultiplyAdd(w1, v1, a11);
                a20 = Vector.FusedMultiplyAdd(w2, v0, a20);
                a21 = Vector.FusedMultiplyAdd(w2, v1, a21);
                a30 = Vector.FusedMultiplyAdd(w3, v0, a30);
                a31 = Vector.FusedMultiplyAdd(w3, v1, a31);
            }

            Subtract(ref c, a00, a01);
            Subtract(ref Unsafe.Add(ref c, ldc), a10, a11);
            Subtract(ref Unsafe.Add(ref c, 2 * ldc), a20, a21);
            Subtract(ref Unsafe.Add(ref c, 3 * ldc), a30, a31);
            return;
        }

        // Other vector widths (2 or 8 lanes): one row at a time over 8 columns.
        for (var r = 0; r < 4; r++)
        {
            ref var wr = ref Unsafe.Add(ref w, r * b);
            ref var cr = ref Unsafe.Add(ref c, r * ldc);
            for (var col = 0; col < 8; col += width)
            {
                var acc = Vector<double>.Zero;
                for (var p = 0; p < b; p++)
                {
                    var vv = Unsafe.As<double, Vector<double>>(ref Unsafe.Add(ref vt, (p * ldv) + col));
                    acc = Vector.FusedMultiplyAdd(new Vector<double>(Unsafe.Add(ref wr, p)), vv, acc);
                }

                ref var target = ref Unsafe.As<double, Vector<double>>(ref Unsafe.Add(ref cr, col));
                target -= acc;
            }
        }
    }

    private static void Subtract(ref double c, Vector<double> x, Vector<double> y)
    {
        ref var first = ref Unsafe.As<double, Vector<double>>(ref c);
        first -= x;
        ref var second = ref Unsafe.As<double, Vector<double>>(ref Unsafe.Add(ref c, 4));
        second -= y;
    }

    private static void ScalarKernel(double[] w, int wOffset, int b, double[] vt, int j0, int ldv, double[] c, int cOffset, int ldc)
    {
        for (var r = 0; r < 4; r++)
        {
            for (var col = 0; col < 8; col++)
            {
                double s = 0;
                for (var p = 0; p < b; p++)
                {
                    s += w[wOffset + (r * b) + p] * vt[(p * ldv) + j0 + col];
                }

                c[cOffset + (r * ldc) + col] -= s;
            }
        }
    }

    /// <summary>Gauss-Jordan with partial pivoting for the small pivot block.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void InvertSmall(double[] m, int b)
    {
        var inv = new double[b * b];
        for (var i = 0; i < b; i++)
        {
            inv[(i * b) + i] = 1;
        }

        for (var c = 0; c < b; c++)
        {
            var pivot = c;
            for (var r = c + 1; r < b; r++)
            {
                if (Math.Abs(m[(r * b) + c]) > Math.Abs(m[(pivot * b) + c]))
                {
                    pivot = r;
                }
            }

            if (m[(pivot * b) + c] == 0)
            {
                throw new InvalidOperationException("Matrix is singular: increase the regularisation.");
            }

            if (pivot != c)
            {
                for (var j = 0; j < b; j++)
                {
                    (m[(c * b) + j], m[(pivot * b) + j]) = (m[(pivot * b) + j], m[(c * b) + j]);
                    (inv[(c * b) + j], inv[(pivot * b) + j]) = (inv[(pivot * b) + j], inv[(c * b) + j]);
                }
            }

            var scale = 1 / m[(c * b) + c];
            for (var j = 0; j < b; j++)
            {
                m[(c * b) + j] *= scale;
                inv[(c * b) + j] *= scale;
            }

            for (var r = 0; r < b; r++)
            {
                var f = m[(r * b) + c];
                if (r == c || f == 0)
                {
                    continue;
                }

                for (var j = 0; j < b; j++)
                {
                    m[(r * b) + j] -= f * m[(c * b) + j];
                    inv[(r * b) + j] -= f * inv[(c * b) + j];
                }
            }
        }

        Array.Copy(inv, m, b * b);
    }
}
