using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.FileProviders;

namespace ServerlessReco.LocalHost;

/// <summary>
/// CORS as <c>func start</c> applies it: origins from <c>Host:CORS</c> (comma-separated, <c>*</c> for any) and
/// <c>Host:CORSCredentials</c>, read from the <c>Host</c> section of local.settings.json or any other settings
/// source (<c>--Host:CORS=...</c>, <c>Host__CORS</c>). In Azure the platform applies <c>siteConfig.cors</c> instead.
/// </summary>
public static class LocalCors
{
    public const string OriginsKey = "Host:CORS";
    public const string CredentialsKey = "Host:CORSCredentials";
    public const string LocalSettingsFile = "local.settings.json";

    /// <summary>
    /// Reads local.settings.json next to the host (the Functions project copies it there) below every other
    /// source, so that the file written by <c>azd provision</c> sets CORS here as it does for <c>func start</c>.
    /// </summary>
    public static void AddLocalSettingsFile(ConfigurationManager configuration) =>
        configuration.Sources.Insert(0, new JsonConfigurationSource
        {
            FileProvider = new PhysicalFileProvider(AppContext.BaseDirectory),
            Path = LocalSettingsFile,
            Optional = true,
            ReloadOnChange = false,
        });

    public static IServiceCollection AddLocalCors(this IServiceCollection services, IConfiguration configuration)
    {
        var origins = (configuration[OriginsKey] ?? "")
            .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        var credentials = configuration.GetValue<bool>(CredentialsKey);
        if (credentials && origins.Contains("*"))
        {
            // Browsers refuse credentials with a wildcard origin; say so at start rather than fail every request.
            throw new InvalidOperationException($"{OriginsKey} '*' cannot be combined with {CredentialsKey} true: name the origins.");
        }

        return services.AddCors(cors => cors.AddDefaultPolicy(policy =>
        {
            if (origins.Contains("*"))
            {
                policy.AllowAnyOrigin();
            }
            else
            {
                policy.WithOrigins(origins);
            }

            policy.AllowAnyMethod().AllowAnyHeader();
            if (credentials)
            {
                policy.AllowCredentials();
            }
        }));
    }
}
