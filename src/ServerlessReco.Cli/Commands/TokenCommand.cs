using System.CommandLine;
using Microsoft.Extensions.Configuration;
using ServerlessReco.Core.Access;
using ServerlessReco.Hosting.Tokens;

namespace ServerlessReco.Cli.Commands;

/// <summary>
/// <c>reco token</c>: mints a shopper token as the shop's server would (docs/api.md, "Shopper tokens"), for trying the
/// client routes with curl, or makes a new signing key entry for <c>ShopperTokens__SigningKeys</c>.
/// </summary>
public sealed class TokenCommand : RecoCommand
{
    private readonly IEnumerable<KeyValuePair<string, string?>>? _environment;
    private readonly Option<string?> _user = new("--user") { HelpName = "USER_ID", Description = "the shopper the token acts as (its sub claim)" };
    private readonly Option<string[]> _scope = new("--scope")
    {
        HelpName = "SCOPE",
        Description = $"a scope to grant ({string.Join(", ", ShopperScopes.All)}); repeat it for more; default: both",
        AllowMultipleArgumentsPerToken = false,
    };

    private readonly Option<TimeSpan> _lifetime = new("--lifetime")
    {
        HelpName = "TIME",
        Description = "how long the token is valid, at most 1.00:00:00 (a day)",
        DefaultValueFactory = _ => TimeSpan.FromHours(1),
    };

    private readonly Option<string?> _keyId = new("--key-id") { HelpName = "KID", Description = "the signing key to use, by id; default: the first of ShopperTokens__SigningKeys" };
    private readonly Option<string?> _newKey = new("--new-key") { HelpName = "KID", Description = "print a new signing key entry KID:base64 (32 random bytes) instead of a token" };

    /// <param name="environment">Settings instead of the process environment (tests); null reads the environment.</param>
    public TokenCommand(IEnumerable<KeyValuePair<string, string?>>? environment = null)
        : base("token", "Mint a shopper token (HS256 JWT) for a user, or make a new signing key.")
    {
        _environment = environment;
        Details = """
            Signs with a key of the setting ShopperTokens__SigningKeys (kid:base64;kid2:base64), read from the environment
            as the Functions app reads it, and prints the token on standard output: send it as `Authorization: Bearer TOKEN`.
            In production the shop's own server mints tokens by the documented steps (docs/api.md); this command is for
            trying them. `--new-key k2` prints an entry to add to the setting when rotating. Exit code 2 for a usage error.
            """;
        Add(_user);
        Add(_scope);
        Add(_lifetime);
        Add(_keyId);
        Add(_newKey);
    }

    protected override Task<int> RunAsync(ParseResult parsed, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        if (parsed.GetValue(_newKey) is { } newKeyId)
        {
            try
            {
                output.WriteLine(ShopperTokenKeys.NewEntry(newKeyId));
                return Task.FromResult(0);
            }
            catch (ArgumentException e)
            {
                return Task.FromResult(UsageError(parsed, $"--new-key: {e.Message}"));
            }
        }

        return Task.FromResult(Mint(parsed, output));
    }

    private int Mint(ParseResult parsed, TextWriter output)
    {
        var user = parsed.GetValue(_user);
        if (string.IsNullOrWhiteSpace(user))
        {
            return UsageError(parsed, "--user is required to mint a token (or use --new-key KID to make a key).");
        }

        var scopes = parsed.GetValue(_scope) is { Length: > 0 } given ? given : [.. ShopperScopes.All];
        if (scopes.FirstOrDefault(s => !ShopperScopes.All.Contains(s)) is { } unknown)
        {
            return UsageError(parsed, $"--scope '{unknown}' is not a scope: use {string.Join(" or ", ShopperScopes.All)}.");
        }

        var lifetime = parsed.GetValue(_lifetime);
        if (lifetime <= TimeSpan.Zero || lifetime > ShopperTokens.MaxLifetime)
        {
            return UsageError(parsed, "--lifetime must be more than 0 and at most 1.00:00:00 (a day).");
        }

        var setting = Settings()[$"{ShopperTokenOptions.Section}:{nameof(ShopperTokenOptions.SigningKeys)}"];
        if (!ShopperTokenKeys.TryParse(setting, out var keys, out var problem))
        {
            return UsageError(parsed, string.IsNullOrWhiteSpace(setting)
                ? "ShopperTokens__SigningKeys is not set: export it (kid:base64), e.g. from `reco token --new-key k1`."
                : problem);
        }

        var keyId = parsed.GetValue(_keyId);
        if (keyId is not null && keys.Find(keyId) is null)
        {
            return UsageError(parsed, $"--key-id '{keyId}' is not a key of ShopperTokens__SigningKeys.");
        }

        output.WriteLine(new ShopperTokens(keys).Mint(user, scopes, lifetime, keyId));
        return 0;
    }

    private IConfiguration Settings()
    {
        var builder = new ConfigurationBuilder();
        return (_environment is null
            ? builder.AddEnvironmentVariables()
            : builder.AddInMemoryCollection(_environment.Select(p => KeyValuePair.Create(p.Key.Replace("__", ":", StringComparison.Ordinal), p.Value)))).Build();
    }
}
