namespace ServerlessReco.Core.Evaluation;

/// <summary>
/// The mean per-user difference of one metric between two models scored on the same users (a − b), and its standard
/// error: the noise a gate must allow for. Pairing takes out what the users themselves vary by (some are easy for
/// every model), so the error is far smaller than that of either mean alone.
/// </summary>
/// <param name="Users">The users compared.</param>
/// <param name="Mean">The mean of a − b over them.</param>
/// <param name="StandardError">The sample standard deviation of a − b over √<paramref name="Users"/>.</param>
public sealed record PairedDifference(int Users, double Mean, double StandardError)
{
    /// <summary>The lower end of the interval of <paramref name="standardErrors"/> standard errors around the mean.</summary>
    public double Lower(double standardErrors) => Mean - (standardErrors * StandardError);

    /// <summary>The upper end of the interval of <paramref name="standardErrors"/> standard errors around the mean.</summary>
    public double Upper(double standardErrors) => Mean + (standardErrors * StandardError);

    /// <summary>
    /// The paired difference over every user either map holds: a user one of them does not hold scores 0 there (no
    /// list, no hit). With a single user the standard error is the size of their difference (one user cannot tell
    /// noise from a difference, so the interval of one or more standard errors reaches 0); none gives all zeros.
    /// </summary>
    public static PairedDifference Between(IReadOnlyDictionary<string, double> a, IReadOnlyDictionary<string, double> b)
    {
        ArgumentNullException.ThrowIfNull(a);
        ArgumentNullException.ThrowIfNull(b);
        var users = a.Keys.Union(b.Keys, StringComparer.Ordinal).ToList();
        var differences = users.Select(u => a.GetValueOrDefault(u) - b.GetValueOrDefault(u)).ToList();
        return Of(differences);
    }

    /// <summary>The mean and standard error of <paramref name="differences"/> (one per user).</summary>
    public static PairedDifference Of(IReadOnlyList<double> differences)
    {
        ArgumentNullException.ThrowIfNull(differences);
        var n = differences.Count;
        if (n == 0)
        {
            return new PairedDifference(0, 0, 0);
        }

        var mean = differences.Average();
        if (n == 1)
        {
            return new PairedDifference(1, mean, Math.Abs(mean));
        }

        var variance = differences.Sum(d => (d - mean) * (d - mean)) / (n - 1);
        return new PairedDifference(n, mean, Math.Sqrt(variance / n));
    }
}
