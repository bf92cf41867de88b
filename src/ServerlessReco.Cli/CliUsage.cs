namespace ServerlessReco.Cli;

/// <summary>Refusing what a command did not understand, in one place.</summary>
public static class CliUsage
{
    public static void RejectUnread(CliArguments arguments, bool allowPositional = false)
    {
        var extra = arguments.Unread().Select(o => "--" + o).Concat(allowPositional ? [] : arguments.Positional).ToList();
        if (extra.Count > 0)
        {
            throw new CliUsageException($"unknown arguments: {string.Join(" ", extra)}.");
        }
    }
}
