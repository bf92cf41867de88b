using System.Numerics;

namespace ServerlessReco.Core.Content;

/// <summary>
/// The mean of a set of vectors and the <c>k</c> directions along which they vary most (principal component analysis):
/// the covariance of a sample, then subspace iteration. Projecting onto them keeps most of what tells items apart in
/// fewer numbers, and removing the mean takes out the direction every sentence embedding shares.
/// </summary>
public sealed class PrincipalDirections
{
    private const int Iterations = 24;

    private PrincipalDirections(float[] mean, float[][] directions) => (Mean, Directions) = (mean, directions);

    public float[] Mean { get; }

    /// <summary>Unit vectors, orthogonal to one another, largest variance first.</summary>
    public float[][] Directions { get; }

    /// <summary>The mean and <paramref name="k"/> directions of <paramref name="vectors"/> (at most <paramref name="sample"/> of them, drawn with <paramref name="seed"/>).</summary>
    public static PrincipalDirections Fit(IReadOnlyList<float[]> vectors, int k, int sample = 8_192, int seed = 12)
    {
        ArgumentOutOfRangeException.ThrowIfZero(vectors.Count);
        var d = vectors[0].Length;
        ArgumentOutOfRangeException.ThrowIfGreaterThan(k, d);
        var rows = vectors.Count <= sample ? vectors : [.. new Random(seed).GetItems(vectors.ToArray(), sample)];
        var mean = MeanOf(rows, d);
        var covariance = Covariance(rows, mean);
        return new PrincipalDirections(mean, TopDirections(covariance, k, seed));
    }

    /// <summary>The vector minus the mean, projected on the directions.</summary>
    public float[] Project(ReadOnlySpan<float> vector)
    {
        Span<float> centred = stackalloc float[Mean.Length];
        for (var i = 0; i < centred.Length; i++)
        {
            centred[i] = vector[i] - Mean[i];
        }

        var projected = new float[Directions.Length];
        for (var c = 0; c < projected.Length; c++)
        {
            projected[c] = Dot(centred, Directions[c]);
        }

        return projected;
    }

    private static float[] MeanOf(IReadOnlyList<float[]> rows, int d)
    {
        var mean = new float[d];
        foreach (var row in rows)
        {
            for (var i = 0; i < d; i++)
            {
                mean[i] += row[i];
            }
        }

        for (var i = 0; i < d; i++)
        {
            mean[i] /= rows.Count;
        }

        return mean;
    }

    private static float[][] Covariance(IReadOnlyList<float[]> rows, float[] mean)
    {
        var d = mean.Length;
        var covariance = new float[d][];
        for (var i = 0; i < d; i++)
        {
            covariance[i] = new float[d];
        }

        var centred = new float[d];
        foreach (var row in rows)
        {
            for (var i = 0; i < d; i++)
            {
                centred[i] = row[i] - mean[i];
            }

            for (var i = 0; i < d; i++)
            {
                AddScaled(covariance[i], centred, centred[i]);
            }
        }

        return covariance;
    }

    /// <summary>Subspace iteration: multiply a random orthonormal basis by the covariance and re-orthonormalise, until it settles on the top directions.</summary>
    private static float[][] TopDirections(float[][] covariance, int k, int seed)
    {
        var d = covariance.Length;
        var random = new Random(seed);
        var basis = new float[k][];
        for (var c = 0; c < k; c++)
        {
            basis[c] = [.. Enumerable.Range(0, d).Select(_ => (float)(random.NextDouble() - 0.5))];
        }

        Orthonormalise(basis);
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            for (var c = 0; c < k; c++)
            {
                var next = new float[d];
                for (var i = 0; i < d; i++)
                {
                    next[i] = Dot(covariance[i], basis[c]);
                }

                basis[c] = next;
            }

            Orthonormalise(basis);
        }

        return basis;
    }

    /// <summary>Modified Gram-Schmidt, in place; a column that vanishes is left at zero.</summary>
    private static void Orthonormalise(float[][] basis)
    {
        for (var c = 0; c < basis.Length; c++)
        {
            for (var p = 0; p < c; p++)
            {
                AddScaled(basis[c], basis[p], -Dot(basis[c], basis[p]));
            }

            var norm = MathF.Sqrt(Dot(basis[c], basis[c]));
            if (norm > 1e-12f)
            {
                for (var i = 0; i < basis[c].Length; i++)
                {
                    basis[c][i] /= norm;
                }
            }
        }
    }

    internal static float Dot(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        var sum = Vector<float>.Zero;
        var i = 0;
        for (; i <= a.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            sum += new Vector<float>(a[i..]) * new Vector<float>(b[i..]);
        }

        var result = Vector.Sum(sum);
        for (; i < a.Length; i++)
        {
            result += a[i] * b[i];
        }

        return result;
    }

    private static void AddScaled(Span<float> target, ReadOnlySpan<float> source, float scale)
    {
        var i = 0;
        var s = new Vector<float>(scale);
        for (; i <= target.Length - Vector<float>.Count; i += Vector<float>.Count)
        {
            (new Vector<float>(target[i..]) + (s * new Vector<float>(source[i..]))).CopyTo(target[i..]);
        }

        for (; i < target.Length; i++)
        {
            target[i] += scale * source[i];
        }
    }
}
