using FlinkOpsBot.FlinkSim.Rest;

namespace FlinkOpsBot.FlinkSim;

/// <summary>
/// A simulated Apache Flink 1.20 cluster behind a real HTTP server (Kestrel) that speaks Flink's REST API v1 as
/// Flink does on the wire, under both <c>/</c> and <c>/v1/</c>. Start one per test, or one for the bot's local mode;
/// dispose it to stop the server. With <see cref="FlinkSimOptions.AdminApi"/> it also serves the admin API under
/// <c>/_sim/</c> (faults, the mutation ledger and the call log over HTTP).
/// </summary>
public sealed class FlinkSimServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FlinkSimServer(WebApplication app, SimCluster cluster, Uri baseAddress)
    {
        _app = app;
        Cluster = cluster;
        BaseAddress = baseAddress;
    }

    /// <summary>Where the server listens, with a trailing slash, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The simulated cluster: put jars and jobs in, inject faults, read the call log.</summary>
    public SimCluster Cluster { get; }

    /// <summary>
    /// Starts an empty cluster (use <see cref="SimCluster.SeedDemo"/> or <see cref="SimCluster.AddJar"/> to fill it) and
    /// its server on <paramref name="urls"/> (Kestrel's <c>--urls</c> syntax; the first is the
    /// <see cref="BaseAddress"/>), by default 127.0.0.1 on a free port. Cluster time comes from
    /// <paramref name="timeProvider"/> (default <see cref="TimeProvider.System"/>).
    /// </summary>
    /// <exception cref="ArgumentException">An option is out of range.</exception>
    /// <exception cref="IOException">The address is in use.</exception>
    public static async Task<FlinkSimServer> StartAsync(
        FlinkSimOptions options, TimeProvider? timeProvider = null, string? urls = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var cluster = new SimCluster(options, timeProvider ?? TimeProvider.System);

        // The empty builder reads no configuration files and logs nothing: hosted in the bot, it stays out of its way.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().UseUrls(urls ?? "http://127.0.0.1:0");
        builder.Services.AddRoutingCore();
        builder.Services.AddSingleton(cluster);
        var app = builder.Build();
        app.MapFlinkRest(options.AdminApi);

        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new FlinkSimServer(app, cluster, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    /// <summary>Stops the server and releases its port.</summary>
    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
