namespace ServerlessReco.Core.Sessions;

/// <summary>
/// Sequential rules from the last click, as SR (Kamehkhosh, Jannach and Ludewig, 2017): in every neighbour session that
/// holds the shopper's last click, each item that came after it votes 1 / d², d places later (up to
/// <see cref="Steps"/>). What shoppers clicked right after this item is the likeliest next click; k-NN's whole-session
/// votes say what belongs together, this says what comes next. Read from the saved <see cref="SessionIndex"/>, so it
/// costs the model nothing to save.
/// </summary>
public static class SessionTransitions
{
    /// <summary>How many places after the last click still vote (at 1 / d² the tenth counts 1 % of the next).</summary>
    public const int Steps = 10;

    /// <summary>Adds the votes for what follows <paramref name="last"/> (an item index) to <paramref name="scores"/>; returns how many sessions voted.</summary>
    public static int Score(SessionIndex index, int last, Span<double> scores)
    {
        ArgumentNullException.ThrowIfNull(index);
        var voters = 0;
        foreach (var s in index.SessionsOf(last))
        {
            var items = index.ItemsOf(s);
            var at = items.IndexOf(last);
            for (var d = 1; d <= Steps && at + d < items.Length; d++)
            {
                scores[items[at + d]] += 1.0 / (d * d);
            }

            voters += at + 1 < items.Length ? 1 : 0;
        }

        return voters;
    }
}
