using System.Text;
using System.Text.RegularExpressions;

namespace ServerlessReco.Functions.Tests.OpenApi;

/// <summary>
/// The HTTP examples of the README: every <c>curl</c> command in a fenced <c>sh</c> block (method, URL, JSON
/// body, and the response when a <c># 200 {...}</c> comment line follows it), and every fenced <c>json</c>
/// block under a heading that names a route (<c>### `GET /api/trending`</c>).
/// </summary>
internal static partial class ReadmeExamples
{
    public static (List<CurlExample> Requests, List<JsonExample> Answers) Parse(string markdown)
    {
        var requests = new List<CurlExample>();
        var answers = new List<JsonExample>();
        var lines = markdown.Split('\n');
        (string Method, string Path)? route = null;
        for (var i = 0; i < lines.Length; i++)
        {
            if (lines[i].StartsWith('#') && !lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                var heading = RouteHeading().Match(lines[i]);
                route = heading.Success ? (heading.Groups["method"].Value, heading.Groups["path"].Value) : null;
                continue;
            }

            if (!lines[i].StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var language = lines[i][3..].Trim();
            var start = i + 1;
            var end = start;
            while (end < lines.Length && !lines[end].StartsWith("```", StringComparison.Ordinal))
            {
                end++;
            }

            var block = string.Join('\n', lines[start..end]);
            if (language == "sh")
            {
                requests.AddRange(Curls(block, start + 1));
            }
            else if (language == "json" && route is { } named)
            {
                answers.Add(new JsonExample(start + 1, named.Method, named.Path, block));
            }

            i = end;
        }

        return (requests, answers);
    }

    /// <summary>The curl commands of one shell block; <paramref name="firstLine"/> numbers its lines in the README.</summary>
    private static IEnumerable<CurlExample> Curls(string block, int firstLine)
    {
        CurlExample? last = null;
        foreach (var command in ShellCommands(block, firstLine))
        {
            if (command.Comment is { } comment && command.Words.Count == 0)
            {
                var answer = ResponseComment().Match(comment);
                if (answer.Success && last is not null)
                {
                    last = last with { Status = int.Parse(answer.Groups["status"].Value, System.Globalization.CultureInfo.InvariantCulture), Response = answer.Groups["json"].Value };
                }

                continue;
            }

            if (last is not null)
            {
                yield return last;
            }

            last = command.Words.FirstOrDefault() == "curl" ? Curl(command.Words, command.Line) : null;
        }

        if (last is not null)
        {
            yield return last;
        }
    }

    private static CurlExample Curl(List<string> words, int line)
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
                case var word when word.StartsWith('-'):
                    break;
                default:
                    url = words[i];
                    break;
            }
        }

        return new CurlExample(line, method ?? (body is null ? "GET" : "POST"), url ?? "", headers, body, null, null);
    }

    /// <summary>
    /// Splits shell text into commands of words, as sh would: quotes group, backslash-newline continues a line,
    /// an unquoted newline ends a command, '#' at the start of a word comments out the rest of the line.
    /// </summary>
    private static List<ShellCommand> ShellCommands(string text, int firstLine)
    {
        var commands = new List<ShellCommand>();
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        char? quote = null;
        var line = firstLine;
        var commandLine = firstLine;
        string? comment = null;

        void EndWord()
        {
            if (inWord)
            {
                words.Add(word.ToString());
            }

            word.Clear();
            inWord = false;
        }

        void EndCommand()
        {
            EndWord();
            if (words.Count > 0 || comment is not null)
            {
                commands.Add(new ShellCommand(commandLine, [.. words], comment));
            }

            words.Clear();
            comment = null;
            commandLine = line;
        }

        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } open)
            {
                if (c == open)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }

                line += c == '\n' ? 1 : 0;
                continue;
            }

            switch (c)
            {
                case '\\' when i + 1 < text.Length && text[i + 1] == '\n':
                    i++;
                    line++;
                    break;
                case '\'' or '"':
                    quote = c;
                    inWord = true;
                    break;
                case '#' when !inWord:
                    var endOfLine = text.IndexOf('\n', i);
                    comment = text[i..(endOfLine < 0 ? text.Length : endOfLine)];
                    i = (endOfLine < 0 ? text.Length : endOfLine) - 1;
                    break;
                case '\n':
                    line++;
                    EndCommand();
                    break;
                case ' ' or '\t':
                    EndWord();
                    break;
                default:
                    word.Append(c);
                    inWord = true;
                    break;
            }
        }

        EndCommand();
        return commands;
    }

    [GeneratedRegex(@"^#+\s+`(?<method>GET|POST|PUT|DELETE) (?<path>/api/[^`\s]+)`")]
    private static partial Regex RouteHeading();

    [GeneratedRegex(@"^#\s*(?<status>[1-5]\d\d)\s+(?<json>[\[{].*)$")]
    private static partial Regex ResponseComment();

    private sealed record ShellCommand(int Line, List<string> Words, string? Comment);
}

/// <summary>A curl command of the README and, when a comment line gives it, the answer's status and JSON.</summary>
internal sealed record CurlExample(int Line, string Method, string Url, List<string> Headers, string? Body, int? Status, string? Response)
{
    /// <summary>The URL's path from <c>/api/</c> on (the host is a variable or the local host), or null for other URLs.</summary>
    public string? ApiPath => ApiIndex < 0 ? null : Url[ApiIndex..].Split('?', 2)[0];

    /// <summary>The query string's parameters, unescaped.</summary>
    public List<(string Name, string Value)> Query =>
        Url.Split('?', 2) is [_, var query]
            ? query.Split('&').Select(p => p.Split('=', 2)).Select(p => (Uri.UnescapeDataString(p[0]), Uri.UnescapeDataString(p.ElementAtOrDefault(1) ?? ""))).ToList()
            : [];

    private int ApiIndex => Url.IndexOf("/api/", StringComparison.Ordinal);

    public override string ToString() => $"README line {Line}: curl -X {Method} {Url}";
}

/// <summary>A JSON answer shown under a route's heading: a problem (it has a status) or the route's success body.</summary>
internal sealed record JsonExample(int Line, string Method, string Path, string Json)
{
    public override string ToString() => $"README line {Line}: answer of {Method} {Path}";
}
