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
internal static partial class DenseInverse
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
}
