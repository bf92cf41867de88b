using System.Numerics;
using System.Runtime.CompilerServices;

namespace ServerlessReco.Core.Recommendation;

/// <summary>
/// The inner loops of <see cref="DenseInverse"/>: the register-tiled SIMD kernel of the rank-b update, its scalar
/// fallback, and the small Gauss-Jordan inverse of each pivot block. Kept apart from the blocked sweep that drives them.
/// </summary>
internal static partial class DenseInverse
{
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
