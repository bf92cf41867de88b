namespace ServerlessReco.Core.Ingestion;

/// <summary>The bounds every write obeys, whichever door (HTTP, CLI import) it comes through.</summary>
public static class IngestionLimits
{
    public const int MaxBatchSize = 1_000;
    public const int MaxBodyBytes = 1024 * 1024;
    public const int MaxIdLength = 128;
    public const int MaxProperties = 16;
    public const int MaxPropertyKeyLength = 64;
    public const int MaxPropertyValueLength = 256;
    public const int MaxTitleLength = 512;
    public const int MaxDescriptionLength = 4_000;
    public const int MaxTags = 32;
    public const int MaxJsonDepth = 8;

    /// <summary>Clocks disagree a little; a timestamp further ahead than this is a client bug.</summary>
    public static readonly TimeSpan MaxClockSkew = TimeSpan.FromMinutes(5);
}
