namespace ServerlessReco.Core.Ingestion;

/// <summary>How long events are kept. Zero days keeps them forever.</summary>
public sealed record RetentionPolicy(int Days)
{
    public static RetentionPolicy Forever { get; } = new(0);

    public bool KeepsForever => Days <= 0;

    /// <summary>The oldest timestamp still kept at <paramref name="now"/>, or null when nothing expires.</summary>
    public DateTimeOffset? OldestKept(DateTimeOffset now) => KeepsForever ? null : now - TimeSpan.FromDays(Days);

    /// <summary>Seconds an event stamped <paramref name="timestamp"/> has left to live at <paramref name="now"/> (at least 1), or null for forever.</summary>
    public int? SecondsToLive(DateTimeOffset timestamp, DateTimeOffset now)
    {
        if (KeepsForever)
        {
            return null;
        }

        var left = (timestamp + TimeSpan.FromDays(Days) - now).TotalSeconds;
        return (int)Math.Clamp(Math.Ceiling(left), 1, int.MaxValue);
    }
}
