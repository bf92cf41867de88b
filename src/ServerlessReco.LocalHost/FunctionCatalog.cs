using System.Reflection;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessReco.LocalHost;

/// <summary>
/// The functions of an assembly, read from the same attributes the Azure Functions host reads.
/// A parameter the local host cannot bind fails discovery at start, rather than a request later.
/// </summary>
public sealed class FunctionCatalog
{
    private FunctionCatalog(IReadOnlyList<FunctionDescriptor> functions) => Functions = functions;

    public IReadOnlyList<FunctionDescriptor> Functions { get; }

    public IEnumerable<FunctionDescriptor> HttpFunctions => Functions.Where(f => f.Http is not null);

    public FunctionDescriptor? Find(string name) =>
        Functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    public static FunctionCatalog Discover(Assembly assembly)
    {
        var functions = new List<FunctionDescriptor>();
        foreach (var type in assembly.GetExportedTypes().Where(t => t is { IsClass: true, IsAbstract: false }))
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static))
            {
                if (method.GetCustomAttribute<FunctionAttribute>() is not { } function)
                {
                    continue;
                }

                var parameters = method.GetParameters();
                var trigger = parameters.Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(a => a is not null);
                var http = trigger is null
                    ? null
                    : new HttpBinding(trigger.Route ?? function.Name, trigger.Methods ?? ["get", "post"], trigger.AuthLevel);
                foreach (var parameter in parameters)
                {
                    EnsureBindable(function.Name, parameter, http);
                }

                functions.Add(new FunctionDescriptor(function.Name, type, method, http));
            }
        }

        var repeated = functions.GroupBy(f => f.Name, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        return repeated is null
            ? new FunctionCatalog(functions)
            : throw new InvalidOperationException($"Two functions are named '{repeated.Key}'.");
    }

    private static void EnsureBindable(string function, ParameterInfo parameter, HttpBinding? http)
    {
        var type = parameter.ParameterType;
        var bindable = type == typeof(CancellationToken)
            || (http is not null && type == typeof(HttpRequest))
            || (http is not null && type == typeof(string) && http.Route.Contains($"{{{parameter.Name}", StringComparison.Ordinal))
            || (http is null && type == typeof(TimerInfo));
        if (!bindable)
        {
            throw new NotSupportedException(
                $"Function '{function}': the local host cannot bind parameter '{parameter.Name}' of type {type.Name}. " +
                "Use HttpRequest, route-value strings, TimerInfo or CancellationToken, or teach LocalHost/FunctionInvoker to bind it.");
        }
    }
}

/// <summary>One function: its name, where its code is, and its HTTP trigger if it has one.</summary>
public sealed record FunctionDescriptor(string Name, Type Class, MethodInfo Method, HttpBinding? Http);

/// <summary>An HTTP trigger's route (without the host's prefix), verbs and authorisation level.</summary>
public sealed record HttpBinding(string Route, string[] Methods, AuthorizationLevel Level);
