using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace ServerlessReco.Hosting.Tokens;

/// <summary>Shopper-token settings, bound once and checked when the host starts, and the one validator built from them.</summary>
public static class ShopperTokenRegistration
{
    public static IServiceCollection AddShopperTokens(this IServiceCollection services)
    {
        services.AddOptions<ShopperTokenOptions>()
            .BindConfiguration(ShopperTokenOptions.Section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<ShopperTokenOptions>>(new ProblemNamer());
        services.AddSingleton(sp =>
        {
            var keys = sp.GetRequiredService<IOptions<ShopperTokenOptions>>().Value.SigningKeys;
            return new ShopperTokens(string.IsNullOrWhiteSpace(keys) ? null : ShopperTokenKeys.Parse(keys));
        });
        return services;
    }

    /// <summary>Fails the start with the settings' own message (which names the setting and the fix), not a generic one.</summary>
    private sealed class ProblemNamer : IValidateOptions<ShopperTokenOptions>
    {
        public ValidateOptionsResult Validate(string? name, ShopperTokenOptions options) =>
            options.Problem() is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
