namespace ServerlessReco.Core.Recommendation;

/// <summary>Selects the k best scores without sorting the whole catalogue.</summary>
public static class TopK
{
    /// <summary>
    /// Indices of the k highest scores, best first; −∞ marks items that must not be chosen. Equal scores
    /// go to the lower index, so results are deterministic.
    /// </summary>
    public static int[] Select(ReadOnlySpan<double> scores, int k)
    {
        if (k <= 0)
        {
            return [];
        }

        // A min-heap of the best k so far; the root is the worst of them.
        var heapIndex = new int[k];
        var heapScore = new double[k];
        var size = 0;
        for (var i = 0; i < scores.Length; i++)
        {
            var s = scores[i];
            if (double.IsNegativeInfinity(s) || double.IsNaN(s))
            {
                continue;
            }

            if (size < k)
            {
                heapIndex[size] = i;
                heapScore[size] = s;
                SiftUp(heapIndex, heapScore, size++);
            }
            else if (s > heapScore[0])
            {
                heapIndex[0] = i;
                heapScore[0] = s;
                SiftDown(heapIndex, heapScore, size);
            }
        }

        var result = new int[size];
        var order = new (double Score, int Index)[size];
        for (var i = 0; i < size; i++)
        {
            order[i] = (heapScore[i], heapIndex[i]);
        }

        Array.Sort(order, static (a, b) => a.Score != b.Score ? b.Score.CompareTo(a.Score) : a.Index.CompareTo(b.Index));
        for (var i = 0; i < size; i++)
        {
            result[i] = order[i].Index;
        }

        return result;
    }

    // Worse = lower score, or equal score and higher index.
    private static bool Worse(double sa, int ia, double sb, int ib) => sa < sb || (sa == sb && ia > ib);

    private static void SiftUp(int[] index, double[] score, int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Worse(score[i], index[i], score[parent], index[parent]))
            {
                return;
            }

            Swap(index, score, i, parent);
            i = parent;
        }
    }

    private static void SiftDown(int[] index, double[] score, int size)
    {
        var i = 0;
        while (true)
        {
            var left = (2 * i) + 1;
            if (left >= size)
            {
                return;
            }

            var worst = left;
            var right = left + 1;
            if (right < size && Worse(score[right], index[right], score[left], index[left]))
            {
                worst = right;
            }

            if (!Worse(score[worst], index[worst], score[i], index[i]))
            {
                return;
            }

            Swap(index, score, i, worst);
            i = worst;
        }
    }

    private static void Swap(int[] index, double[] score, int a, int b)
    {
        (index[a], index[b]) = (index[b], index[a]);
        (score[a], score[b]) = (score[b], score[a]);
    }
}
