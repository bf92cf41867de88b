using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using ServerlessReco.Hosting;

namespace ServerlessReco.Functions;

/// <summary>What the function classes need, registered the same way by the Functions host and the local host.</summary>
public static class FunctionsServiceCollectionExtensions
{
    public static IServiceCollection AddRecoFunctions(this IServiceCollection services, IConfiguration configuration) =>
        services.AddRecoCore(configuration);
}
