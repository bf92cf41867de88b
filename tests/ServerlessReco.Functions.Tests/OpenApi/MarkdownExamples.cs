using System.Globalization;
using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>
/// The HTTP examples of a Markdown page, read with Markdig: every <c>curl</c> command in a fenced <c>sh</c> block
/// (method, URL, JSON body, and the answer when a <c># 200 {...}</c> comment line follows it), and every fenced
/// <c>json</c> block under a heading that starts with a route in code (<c>### `GET /api/trending`</c>).
/// </summary>
internal static partial class MarkdownExamples
{
    public static Examples Parse(string file, string markdown)
    {
        var requests = new List<CurlExample>();
        var answers = new List<JsonExample>();
        (string Method, string Path)? route = null;
        var blocks = Markdown.Parse(markdown).Descendants<LeafBlock>().OrderBy(b => b.Span.Start);
        foreach (var block in blocks)
        {
            switch (block)
            {
                case HeadingBlock heading:
                    route = RouteOf(heading);
                    break;
                case FencedCodeBlock { Info: "sh" } shell:
                    requests.AddRange(Curls(file, shell.Lines.ToString(), shell.Line + 2));
                    break;
                case FencedCodeBlock { Info: "json" } json when route is { } named:
                    answers.Add(new JsonExample(file, json.Line + 2, named.Method, named.Path, json.Lines.ToString()));
                    break;
            }
        }

        return new Examples(requests, answers);
    }

    /// <summary>The route a heading names in code at its start, or null (which ends the previous heading's route).</summary>
    private static (string Method, string Path)? RouteOf(HeadingBlock heading) =>
        heading.Inline?.FirstChild is CodeInline code && RouteCode().Match(code.Content) is { Success: true } match
            ? (match.Groups["method"].Value, match.Groups["path"].Value)
            : null;

    /// <summary>The curl commands of one shell block; <paramref name="firstLine"/> is the block's first line (1-based) in the file.</summary>
    private static IEnumerable<CurlExample> Curls(string file, string block, int firstLine)
    {
        CurlExample? last = null;
        foreach (var command in ShellCommands(block, firstLine))
        {
            if (command.Words.Count == 0)
            {
                var answer = ResponseComment().Match(command.Comment ?? "");
                if (answer.Success && last is not null)
                {
                    last = last with { Status = int.Parse(answer.Groups["status"].Value, CultureInfo.InvariantCulture), Response = answer.Groups["json"].Value };
                }

                continue;
            }

            if (last is not null)
            {
                yield return last;
            }

            last = command.Words[0] == "curl" ? Curl(file, command.Words, command.Line) : null;
        }

        if (last is not null)
        {
            yield return last;
        }
    }

    private static CurlExample Curl(string file, List<string> words, int line)
    {
        string? method = null, url = null, body = null;
        var headers = new List<string>();
        for (var i = 1; i < words.Count; i++)
        {
            switch (words[i])
            {
                case "-X" or "--request":
                    method = words[++i];
                    break;
                case "-d" or "--data" or "--data-raw":
                    body = words[++i];
                    break;
                case "-H" or "--header":
                    headers.Add(words[++i]);
                    break;
                case var option when option.StartsWith('-'):
                    break;
                default:
                    url = words[i];
                    break;
            }
        }

        return new CurlExample(file, line, method ?? (body is null ? "GET" : "POST"), url ?? "", headers, body, null, null);
    }

    /// <summary>
    /// Splits shell text into commands of words, as sh does for the examples' needs: quotes group (and may span lines),
    /// backslash-newline continues a command, an unquoted newline ends it, '#' starting a word comments out the line.
    /// </summary>
    private static List<ShellCommand> ShellCommands(string text, int firstLine)
    {
        var commands = new List<ShellCommand>();
        var words = new List<string>();
        string? comment = null;
        var start = 0;
        void End(int at)
        {
            if (words.Count > 0 || comment is not null)
            {
                commands.Add(new ShellCommand(firstLine + text[..start].Count(c => c == '\n'), [.. words], comment));
            }

            (words, comment, start) = ([], null, at);
        }

        foreach (Match token in ShellToken().Matches(text))
        {
            if (token.Groups["word"].Success)
            {
                words.Add(Unquote().Replace(token.Value, "$1$2$3"));
            }
            else if (token.Groups["comment"].Success)
            {
                comment = token.Value;
            }
            else if (token.Groups["end"].Success)
            {
                End(token.Index + 1);
            }
        }

        End(text.Length);
        return commands;
    }

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|DELETE) (?<path>/api/\S+)$")]
    private static partial Regex RouteCode();

    [GeneratedRegex(@"^#\s*(?<status>[1-5]\d\d)\s+(?<json>[\[{].*)$")]
    private static partial Regex ResponseComment();

    /// <summary>One shell token: a comment (from a '#' that starts a word to the line's end), a line continuation, a line end, or a word of bare and quoted parts.</summary>
    [GeneratedRegex("""(?<comment>(?<!\S)#[^\n]*)|(?<continuation>\\\n)|(?<end>\n)|(?<word>(?:'[^']*'|"[^"]*"|\\[^\n]|[^\s'"\\])+)""")]
    private static partial Regex ShellToken();

    [GeneratedRegex("""'([^']*)'|"([^"]*)"|\\(.)""")]
    private static partial Regex Unquote();

    private sealed record ShellCommand(int Line, List<string> Words, string? Comment);
}

/// <summary>The examples of one page: curl requests and JSON answers under route headings.</summary>
internal sealed record Examples(List<CurlExample> Requests, List<JsonExample> Answers);

/// <summary>A curl command of a page and, when a comment line gives it, the answer's status and JSON.</summary>
internal sealed record CurlExample(string File, int Line, string Method, string Url, List<string> Headers, string? Body, int? Status, string? Response)
{
    /// <summary>The URL's path from <c>/api/</c> on (the host is a variable or the local host), or null for other URLs.</summary>
    public string? ApiPath => ApiIndex < 0 ? null : Url[ApiIndex..].Split('?', 2)[0];

    /// <summary>The query string's parameters, unescaped.</summary>
    public List<(string Name, string Value)> Query =>
        Url.Split('?', 2) is [_, var query]
            ? query.Split('&').Select(p => p.Split('=', 2)).Select(p => (Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p.ElementAtOrDefault(1) ?? ""))).ToList()
            : [];

    private int ApiIndex => Url.IndexOf("/api/", StringComparison.Ordinal);

    public override string ToString() => $"{File} line {Line}: curl -X {Method} {Url}";
}

/// <summary>A JSON answer shown under a route's heading: a problem (it has a status) or the route's success body.</summary>
internal sealed record JsonExample(string File, int Line, string Method, string Path, string Json)
{
    public override string ToString() => $"{File} line {Line}: answer of {Method} {Path}";
}
