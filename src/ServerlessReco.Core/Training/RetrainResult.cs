using ServerlessReco.Core.Models;

namespace ServerlessReco.Core.Training;

/// <summary>What a retrain run did.</summary>
public enum RetrainOutcome
{
    /// <summary>Nothing changed since the last run, or too few events: nothing was trained.</summary>
    Skipped,

    /// <summary>The challenger was published and now serves.</summary>
    Promoted,

    /// <summary>The challenger was published but failed the gate: the champion keeps serving.</summary>
    Kept,

    /// <summary>The challenger passed the gate but another run promoted first from the same pointer.</summary>
    LostRace,
}

/// <summary>The decision of one run and the figures it rests on.</summary>
public sealed record RetrainResult(RetrainOutcome Outcome, string Reason, string? Version, string? ChampionVersion, ModelVersionRecord? Record, IReadOnlyList<string> Pruned)
{
    /// <summary>The catalogue's content vectors of this run (how many texts were embedded, how many reused), or null.</summary>
    public Content.ContentBuild? Content { get; init; }

    /// <summary>One line for people: the decision and why.</summary>
    public override string ToString() =>
        Version is null ? $"{Outcome.ToString().ToLowerInvariant()}: {Reason}" : $"{Outcome.ToString().ToLowerInvariant()} {Version}: {Reason}";
}
