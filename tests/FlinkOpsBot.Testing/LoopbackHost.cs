using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace FlinkOpsBot.Testing;

/// <summary>The small web servers that play third parties in tests: real HTTP on 127.0.0.1, a free port, no logging.</summary>
public static class LoopbackHost
{
    /// <summary>A built, not yet started, app listening on 127.0.0.1 on a port the OS picks; map routes, then start it.</summary>
    public static WebApplication Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        return builder.Build();
    }

    /// <summary>Where a started <see cref="Create"/>d app listens, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public static Uri BaseAddress(WebApplication started) => new(started.Urls.Single().TrimEnd('/') + "/");
}
