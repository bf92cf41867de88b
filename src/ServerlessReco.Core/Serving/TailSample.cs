namespace ServerlessReco.Core.Serving;

/// <summary>
/// A uniform sample of m items from the M the model could still serve (available, in the category, not already a
/// candidate, not excluded), so explore slots also reach the long tail and not only the next best: each is in the
/// pool with probability m/M. Items no list has shown recently come first: while at least m of them are eligible the
/// sample is drawn from those alone (the others' inclusion is then 0), so exploration spends its slots on what
/// nobody has learned anything about yet. Which population is used depends on the serving state only, so the
/// inclusion probability stays exact.
/// </summary>
internal sealed class TailSample(int size)
{
    /// <summary>The sampled items' model indices, in model order.</summary>
    public List<int> ModelIndex { get; } = [];

    /// <summary>The probability m/M that any one eligible item is in the sample (1 before a draw).</summary>
    public double Inclusion { get; private set; } = 1;

    public void Draw(ReadOnlySpan<double> scores, bool[] exposed, Random random)
    {
        if (size <= 0)
        {
            return;
        }

        int eligible = 0, unexposed = 0;
        for (var j = 0; j < scores.Length; j++)
        {
            if (!double.IsNegativeInfinity(scores[j]))
            {
                eligible++;
                unexposed += exposed[j] ? 0 : 1;
            }
        }

        var onlyUnexposed = unexposed >= size;
        if (onlyUnexposed)
        {
            eligible = unexposed;
        }

        bool Eligible(ReadOnlySpan<double> s, int j) => !double.IsNegativeInfinity(s[j]) && !(onlyUnexposed && exposed[j]);

        var m = Math.Min(size, eligible);
        if (m == 0)
        {
            return;
        }

        var picked = new HashSet<int>(m);
        if (eligible >= scores.Length / 4)
        {
            // Most items are eligible (the usual case): draw indices and reject the ineligible; a few draws per pick,
            // instead of a random number for every item of a 100k-item catalogue.
            while (picked.Count < m)
            {
                var j = random.Next(scores.Length);
                if (Eligible(scores, j))
                {
                    picked.Add(j);
                }
            }
        }
        else
        {
            // Few are (a narrow category filter): list them and take a uniform m-subset by a partial shuffle.
            var pool = new int[eligible];
            var n = 0;
            for (var j = 0; j < scores.Length; j++)
            {
                if (Eligible(scores, j))
                {
                    pool[n++] = j;
                }
            }

            for (var i = 0; i < m; i++)
            {
                var k = i + random.Next(eligible - i);
                (pool[i], pool[k]) = (pool[k], pool[i]);
                picked.Add(pool[i]);
            }
        }

        ModelIndex.AddRange(picked.Order());   // model order, so the stored list does not depend on the draw's order
        Inclusion = m / (double)eligible;
    }
}
