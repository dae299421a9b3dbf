using Serilog;
using Serilog.Events;

namespace FlinkOpsBot.Host.Composition;

/// <summary>Serilog, structured, configured from the <c>Serilog</c> section and plugged in through <see cref="ILoggingBuilder"/>.</summary>
internal static class Logging
{
    /// <summary>
    /// Replaces the default providers with Serilog. <paramref name="quiet"/> (local shell mode) keeps the terminal for the
    /// conversation: warnings and errors only, on standard error.
    /// </summary>
    public static void UseSerilog(this WebApplicationBuilder builder, bool quiet)
    {
        var configuration = new LoggerConfiguration()
            .MinimumLevel.Information()
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            .MinimumLevel.Override("System.Net.Http.HttpClient", LogEventLevel.Warning)
            .Enrich.FromLogContext()
            .ReadFrom.Configuration(builder.Configuration);
        configuration = quiet
            ? configuration.MinimumLevel.Warning().WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose,
                outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {RunId} {Message:lj}{NewLine}{Exception}")
            : configuration.WriteTo.Console(outputTemplate: "[{Timestamp:HH:mm:ss} {Level:u3}] {SourceContext} {RunId} {Message:lj}{NewLine}{Exception}");
        builder.Logging.ClearProviders();
        builder.Logging.AddSerilog(configuration.CreateLogger(), dispose: true);
    }
}
