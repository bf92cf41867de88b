namespace ServerlessReco.Core.Serving;

/// <summary>What serving reports about its background work; the hosts write it to their logger.</summary>
public interface IServingLog
{
    /// <summary>A snapshot was (re)loaded: <paramref name="what"/> is "model", "catalogue" or "trending".</summary>
    void Loaded(string what, string detail, TimeSpan took);

    /// <summary>A load or read failed; serving goes on with what it has.</summary>
    void Failed(string what, Exception error);
}

/// <summary>Reports nothing.</summary>
public sealed class NullServingLog : IServingLog
{
    public static readonly NullServingLog Instance = new();

    public void Loaded(string what, string detail, TimeSpan took)
    {
    }

    public void Failed(string what, Exception error)
    {
    }
}
