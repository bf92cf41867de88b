namespace ServerlessReco.Core.ClickPrediction;

/// <summary>
/// Platt scaling: p = σ(a·s + b) of a raw score s, with a and b fitted by maximum likelihood (Newton's method with
/// Platt's smoothed targets) on rows the ensemble did not train on, so the probabilities match observed rates.
/// </summary>
public readonly record struct PlattCalibration(double Slope, double Offset)
{
    public static PlattCalibration Identity => new(1, 0);

    public double Probability(double score) => 1 / (1 + Math.Exp(-((Slope * score) + Offset)));

    public static PlattCalibration Fit(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels)
    {
        if (scores.Length != labels.Length)
        {
            throw new ArgumentException("One label per score.", nameof(labels));
        }

        var positives = 0;
        foreach (var l in labels)
        {
            positives += l ? 1 : 0;
        }

        var negatives = labels.Length - positives;
        if (positives == 0 || negatives == 0)
        {
            return Identity;
        }

        // Platt's targets keep the fit finite when the classes separate. Newton's method with a backtracking line search
        // from the prior log-odds (Lin, Lin and Weng's refinement of Platt): plain Newton steps diverge when the raw scores
        // sit far from the rates, as a hold-out's scores do when the trees were fitted on older rows.
        var (high, low) = ((positives + 1.0) / (positives + 2.0), 1.0 / (negatives + 2.0));
        var (a, b) = (0.0, Math.Log((positives + 1.0) / (negatives + 1.0)));
        var loss = Loss(scores, labels, high, low, a, b);
        for (var iteration = 0; iteration < 100; iteration++)
        {
            var (gA, gB, hAA, hAB, hBB) = Derivatives(scores, labels, high, low, a, b);
            if (Math.Abs(gA) + Math.Abs(gB) < 1e-7 * scores.Length)
            {
                break;
            }

            var det = (hAA * hBB) - (hAB * hAB);
            if (det <= 0)
            {
                break;
            }

            var (stepA, stepB) = (((hBB * gA) - (hAB * gB)) / det, ((hAA * gB) - (hAB * gA)) / det);
            var moved = false;
            for (var t = 1.0; t > 1e-10; t /= 2)
            {
                var (na, nb) = (a - (t * stepA), b - (t * stepB));
                var next = Loss(scores, labels, high, low, na, nb);
                if (next < loss + (1e-4 * t * -((gA * stepA) + (gB * stepB))))
                {
                    (a, b, loss, moved) = (na, nb, next, true);
                    break;
                }
            }

            if (!moved)
            {
                break;
            }
        }

        return new PlattCalibration(a, b);
    }

    /// <summary>The gradient and Hessian of <see cref="Loss"/> in (a, b).</summary>
    private static (double GA, double GB, double HAA, double HAB, double HBB) Derivatives(
        ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double high, double low, double a, double b)
    {
        double gA = 0, gB = 0, hAA = 1e-12, hAB = 0, hBB = 1e-12;
        for (var i = 0; i < scores.Length; i++)
        {
            var p = Sigmoid((a * scores[i]) + b);
            var d = p - (labels[i] ? high : low);
            var w = p * (1 - p);
            (gA, gB) = (gA + (d * scores[i]), gB + d);
            (hAA, hAB, hBB) = (hAA + (w * scores[i] * scores[i]), hAB + (w * scores[i]), hBB + w);
        }

        return (gA, gB, hAA, hAB, hBB);
    }

    private static double Sigmoid(double z) => 1 / (1 + Math.Exp(-z));

    /// <summary>The cross-entropy against Platt's targets, computed so that large margins neither overflow nor lose precision.</summary>
    private static double Loss(ReadOnlySpan<double> scores, ReadOnlySpan<bool> labels, double high, double low, double a, double b)
    {
        double sum = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var z = (a * scores[i]) + b;
            var t = labels[i] ? high : low;
            // −[t·log σ(z) + (1 − t)·log(1 − σ(z))] = log(1 + e^z) − t·z, with log(1 + e^z) evaluated stably.
            sum += (z > 0 ? z + Math.Log(1 + Math.Exp(-z)) : Math.Log(1 + Math.Exp(z))) - (t * z);
        }

        return sum;
    }
}
