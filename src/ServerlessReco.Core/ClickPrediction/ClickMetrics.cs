namespace ServerlessReco.Core.ClickPrediction;

/// <summary>How well predicted click probabilities rank and match what happened: AUC, log-loss, and observed vs predicted per bucket.</summary>
public static class ClickMetrics
{
    /// <summary>The area under the ROC curve (ties count half); NaN without both classes.</summary>
    public static double Auc(ReadOnlySpan<double> predictions, ReadOnlySpan<bool> labels)
    {
        var order = new int[predictions.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        var copy = predictions.ToArray();
        Array.Sort(order, (x, y) => copy[x].CompareTo(copy[y]));
        double rankSum = 0;
        long positives = 0;
        var start = 0;
        while (start < order.Length)
        {
            var end = start;
            while (end + 1 < order.Length && copy[order[end + 1]] == copy[order[start]])
            {
                end++;
            }

            var rank = ((start + end) / 2.0) + 1;
            for (var k = start; k <= end; k++)
            {
                if (labels[order[k]])
                {
                    rankSum += rank;
                    positives++;
                }
            }

            start = end + 1;
        }

        var negatives = order.Length - positives;
        return positives == 0 || negatives == 0 ? double.NaN : (rankSum - (positives * (positives + 1) / 2.0)) / (positives * (double)negatives);
    }

    /// <summary>The mean negative log-likelihood, probabilities clipped to [1e-6, 1 − 1e-6].</summary>
    public static double LogLoss(ReadOnlySpan<double> predictions, ReadOnlySpan<bool> labels)
    {
        double sum = 0;
        for (var i = 0; i < predictions.Length; i++)
        {
            var p = Math.Clamp(predictions[i], 1e-6, 1 - 1e-6);
            sum -= labels[i] ? Math.Log(p) : Math.Log(1 - p);
        }

        return predictions.Length == 0 ? double.NaN : sum / predictions.Length;
    }

    /// <summary>Rows sorted by prediction into <paramref name="buckets"/> equal groups: each group's mean prediction and observed rate.</summary>
    public static IReadOnlyList<CalibrationBucket> Buckets(ReadOnlySpan<double> predictions, ReadOnlySpan<bool> labels, int buckets = 10)
    {
        var copy = predictions.ToArray();
        var order = Enumerable.Range(0, copy.Length).OrderBy(i => copy[i]).ToArray();
        var result = new List<CalibrationBucket>(buckets);
        for (var b = 0; b < buckets; b++)
        {
            var (from, to) = ((int)((long)b * order.Length / buckets), (int)((long)(b + 1) * order.Length / buckets));
            if (to <= from)
            {
                continue;
            }

            double predicted = 0, observed = 0;
            for (var k = from; k < to; k++)
            {
                predicted += copy[order[k]];
                observed += labels[order[k]] ? 1 : 0;
            }

            result.Add(new CalibrationBucket(to - from, predicted / (to - from), observed / (to - from)));
        }

        return result;
    }
}

/// <summary>One calibration bucket: how many rows, their mean predicted probability, their observed rate.</summary>
public sealed record CalibrationBucket(int Rows, double Predicted, double Observed);
