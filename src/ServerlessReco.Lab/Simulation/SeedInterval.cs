namespace ServerlessReco.Lab.Simulation;

/// <summary>
/// A figure over seeds: its mean and the half-width of a 95% t-interval, mean ± t(0.975, n − 1) · s / √n, with s the
/// sample standard deviation over the n seeds; the half-width is NaN for fewer than two seeds (no spread to judge).
/// Seeds are independent shops, so the interval says how much the figure would move in another shop of the same kind.
/// </summary>
public readonly record struct SeedInterval(double Mean, double HalfWidth, int Seeds)
{
    public double Low => Mean - HalfWidth;

    public double High => Mean + HalfWidth;

    public static SeedInterval Of(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var n = values.Count;
        if (n == 0)
        {
            return new SeedInterval(double.NaN, double.NaN, 0);
        }

        var mean = values.Average();
        if (n < 2)
        {
            return new SeedInterval(mean, double.NaN, n);
        }

        var variance = values.Sum(v => (v - mean) * (v - mean)) / (n - 1);
        return new SeedInterval(mean, StudentT.Quantile975(n - 1) * Math.Sqrt(variance / n), n);
    }

    /// <summary>"1.23 ± 0.04" with <paramref name="format"/>; just the mean for a single seed.</summary>
    public string ToString(string format, IFormatProvider? provider = null) =>
        double.IsNaN(HalfWidth) ? Mean.ToString(format, provider) : $"{Mean.ToString(format, provider)} ± {HalfWidth.ToString(format, provider)}";
}

/// <summary>Quantiles of Student's t distribution for two-sided 95% intervals.</summary>
public static class StudentT
{
    /// <summary>t(0.975, df) for df 1..30, to three decimals (the printed tables).</summary>
    private static readonly double[] Table =
    [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131,
        2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042,
    ];

    /// <summary>
    /// t(0.975, df): the table up to 30 degrees of freedom, beyond it the Cornish-Fisher expansion around z = 1.96
    /// (within 0.001 of the exact value from df 30 on).
    /// </summary>
    public static double Quantile975(int degreesOfFreedom)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        if (degreesOfFreedom <= Table.Length)
        {
            return Table[degreesOfFreedom - 1];
        }

        const double z = 1.959964;
        double df = degreesOfFreedom;
        return z + ((Math.Pow(z, 3) + z) / (4 * df)) + (((5 * Math.Pow(z, 5)) + (16 * Math.Pow(z, 3)) + (3 * z)) / (96 * df * df));
    }
}
