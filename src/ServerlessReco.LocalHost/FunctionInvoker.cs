using System.Reflection;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.Azure.Functions.Worker;

namespace ServerlessReco.LocalHost;

/// <summary>
/// Calls a function as the Functions host would: a fresh instance from dependency injection per call,
/// arguments bound by type and route-value name, the result executed as an ASP.NET Core action result.
/// </summary>
public static class FunctionInvoker
{
    public static async Task InvokeHttpAsync(FunctionDescriptor function, HttpContext context)
    {
        var arguments = function.Method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(HttpRequest) => context.Request,
            var t when t == typeof(CancellationToken) => context.RequestAborted,
            _ => (object?)context.GetRouteValue(p.Name!)?.ToString(),
        }).ToArray();

        var result = await InvokeAsync(function, context.RequestServices, arguments);
        if (result is IActionResult action)
        {
            await action.ExecuteResultAsync(new ActionContext(context, context.GetRouteData(), new ActionDescriptor()));
        }
        else if (result is not null)
        {
            await context.Response.WriteAsJsonAsync(result, context.RequestAborted);
        }
    }

    public static Task InvokeBackgroundAsync(FunctionDescriptor function, IServiceProvider services, CancellationToken cancellationToken)
    {
        var arguments = function.Method.GetParameters().Select(p => p.ParameterType switch
        {
            var t when t == typeof(CancellationToken) => cancellationToken,
            var t when t == typeof(TimerInfo) => (object?)new TimerInfo(),
            _ => null,
        }).ToArray();
        return InvokeAsync(function, services, arguments);
    }

    private static async Task<object?> InvokeAsync(FunctionDescriptor function, IServiceProvider services, object?[] arguments)
    {
        var instance = function.Method.IsStatic ? null : ActivatorUtilities.CreateInstance(services, function.Class);
        try
        {
            var returned = function.Method.Invoke(instance, arguments);
            if (returned is Task task)
            {
                await task;
                var resultProperty = task.GetType().GetProperty("Result");
                return resultProperty?.PropertyType.Name == "VoidTaskResult" ? null : resultProperty?.GetValue(task);
            }

            return returned;
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
        finally
        {
            (instance as IDisposable)?.Dispose();
        }
    }
}
