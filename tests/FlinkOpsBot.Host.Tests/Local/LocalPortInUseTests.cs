using System.Net;
using System.Net.Sockets;
using FlinkOpsBot.Host.Local;

namespace FlinkOpsBot.Host.Tests.Local;

/// <summary>A second local instance on a taken port gets one line that says what to do, not Kestrel's exception.</summary>
public class LocalPortInUseTests
{
    [Fact]
    public void AddressInUse_NamesTheTakenUrlAndPassesFreeOnes()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var port = ((IPEndPoint)taken.LocalEndpoint).Port;

            Assert.Equal($"http://127.0.0.1:{port}", LocalMode.AddressInUse($"http://127.0.0.1:0;http://127.0.0.1:{port}"));
            Assert.Null(LocalMode.AddressInUse("http://127.0.0.1:0"));
        }
        finally
        {
            taken.Stop();
        }
    }

    [Fact]
    public async Task Local_OnATakenPort_ExitsWithOneLineAndNoStackTrace()
    {
        var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var url = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";

            var (exitCode, output) = await LocalModeProcess.RunAsync("--headless", "--urls", url);

            Assert.Equal(2, exitCode);
            Assert.Contains($"{url} is already in use", output, StringComparison.Ordinal);
            Assert.Contains("--urls", output, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output, StringComparison.Ordinal);
        }
        finally
        {
            taken.Stop();
        }
    }
}
