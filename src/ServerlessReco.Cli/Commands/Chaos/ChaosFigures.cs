namespace ServerlessReco.Cli.Commands.Chaos;

/// <summary>What one <c>reco chaos</c> run counted, and the table it prints.</summary>
internal sealed record ChaosFigures
{
    public long RequestsSent { get; init; }
    public long StoreCalls { get; init; }
    public long FaultsInjected { get; init; }
    public IReadOnlyDictionary<string, long> FaultsByKind { get; init; } = new Dictionary<string, long>();
    public IReadOnlyDictionary<int, long> Statuses { get; init; } = new Dictionary<int, long>();
    public long Accepted202 { get; init; }
    public long Unavailable503 { get; init; }
    public long UnavailableWithoutRetryAfter { get; init; }
    public long ServerErrors500 { get; init; }
    public long ConnectionErrors { get; init; }
    public long EventsAccepted { get; init; }
    public long EventsLost { get; init; }
    public long Duplicates { get; init; }
    public long ListRequests { get; init; }
    public long ListsServed { get; init; }
    public long RetrainRuns { get; init; }
    public long RetrainsPublished { get; init; }
    public bool CurrentVersionComplete { get; init; }
    public long ErasedShoppers { get; init; }
    public long ErasedShoppersLeft { get; init; }
    public long HostKills { get; init; }
    public bool PublishedAfterKills { get; init; }

    /// <summary>Whether the run kept every promise: nothing lost or twice, no 500, lists kept coming, a complete model, erasure held.</summary>
    public bool Holds => EventsLost == 0 && Duplicates == 0 && ServerErrors500 == 0 && UnavailableWithoutRetryAfter == 0 &&
        ListsServed == ListRequests && RetrainsPublished > 0 && CurrentVersionComplete && ErasedShoppersLeft == 0 &&
        (HostKills == 0 || PublishedAfterKills);

    public ChaosFigures Add(ChaosFigures kills) => this with
    {
        RequestsSent = RequestsSent + kills.RequestsSent,
        Accepted202 = Accepted202 + kills.Accepted202,
        Unavailable503 = Unavailable503 + kills.Unavailable503,
        ServerErrors500 = ServerErrors500 + kills.ServerErrors500,
        ConnectionErrors = ConnectionErrors + kills.ConnectionErrors,
        EventsAccepted = EventsAccepted + kills.EventsAccepted,
        EventsLost = EventsLost + kills.EventsLost,
        Duplicates = Duplicates + kills.Duplicates,
        RetrainRuns = RetrainRuns + kills.RetrainRuns,
        RetrainsPublished = RetrainsPublished + kills.RetrainsPublished,
        CurrentVersionComplete = CurrentVersionComplete && kills.CurrentVersionComplete,
        HostKills = kills.HostKills,
        PublishedAfterKills = kills.PublishedAfterKills,
    };

    public void Write(TextWriter output, double rate)
    {
        var rows = new List<(string, string)>
        {
            ("requests sent", $"{RequestsSent}"),
            ("store calls while faults were on", $"{StoreCalls}"),
            ($"faults injected (rate {rate:P0})", $"{FaultsInjected}"),
        };
        rows.AddRange(FaultsByKind.Select(k => ($"  {k.Key}", $"{k.Value}")));
        rows.AddRange(
        [
            ("answers by status", string.Join(", ", Statuses.Select(s => $"{s.Key}: {s.Value}"))),
            ("202 accepted", $"{Accepted202}"),
            ("503 with Retry-After", $"{Unavailable503 - UnavailableWithoutRetryAfter}"),
            ("503 without Retry-After", $"{UnavailableWithoutRetryAfter}"),
            ("500", $"{ServerErrors500}"),
            ("dropped connections (client side)", $"{ConnectionErrors}"),
            ("events accepted (202)", $"{EventsAccepted}"),
            ("events lost", $"{EventsLost}"),
            ("duplicates", $"{Duplicates}"),
            ("lists served / asked", $"{ListsServed} / {ListRequests}"),
            ("retrain runs / published", $"{RetrainRuns} / {RetrainsPublished}"),
            ("current.json names a complete version", CurrentVersionComplete ? "yes" : "no"),
            ("host kills (SIGKILL), published after", HostKills == 0 ? "none" : $"{HostKills}, {(PublishedAfterKills ? "yes" : "no")}"),
            ("erased shoppers / left", $"{ErasedShoppers} / {ErasedShoppersLeft}"),
        ]);
        var width = rows.Max(r => r.Item1.Length);
        output.WriteLine($"| {"what".PadRight(width)} | count |");
        output.WriteLine($"|{new string('-', width + 2)}|-------|");
        foreach (var (what, count) in rows)
        {
            output.WriteLine($"| {what.PadRight(width)} | {count} |");
        }

        output.WriteLine(Holds ? "chaos: every promise held" : "chaos: a promise was broken (see the table)");
    }
}
