using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace FlinkOpsBot.Chaos;

/// <summary>
/// A process the harness started: its output goes, line by line, to a log file and to an optional callback; stdin is
/// kept open when asked. Every instance is registered so that <see cref="KillAll"/> (Ctrl+C, exit) leaves nothing behind.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private static readonly List<ChildProcess> Live = [];
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logGate = new();
    private readonly bool _tree;

    private ChildProcess(Process process, StreamWriter log, bool tree)
    {
        _process = process;
        _log = log;
        _tree = tree;
    }

    /// <summary>A short name for messages (host#2, flinksim, azurite).</summary>
    public required string Name { get; init; }

    /// <summary>The operating system's process id.</summary>
    public int Id => _process.Id;

    /// <summary>True once the process has exited (or was killed).</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>Starts <paramref name="file"/> with <paramref name="arguments"/>; <paramref name="onLine"/> sees stdout and stderr lines.</summary>
    public static ChildProcess Start(string name, string file, IEnumerable<string> arguments, string logPath,
        IReadOnlyDictionary<string, string>? environment = null, Action<string>? onLine = null, bool stdin = false, bool killTree = false, string? workingDirectory = null)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) start.Environment[key] = value;
        var log = new StreamWriter(logPath, append: true) { AutoFlush = true };
        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {file}.");
        var child = new ChildProcess(process, log, killTree) { Name = name };
        lock (Live) Live.Add(child);
        process.OutputDataReceived += (_, e) => child.Capture(e.Data, onLine);
        process.ErrorDataReceived += (_, e) => child.Capture(e.Data, onLine);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Writes one line to the process's stdin; false when it is gone.</summary>
    public bool WriteLine(string line)
    {
        try
        {
            _process.StandardInput.WriteLine(line);
            _process.StandardInput.Flush();
            lock (_logGate) _log.WriteLine("<<< " + line);
            return true;
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>SIGKILL (on Linux, <see cref="Process.Kill(bool)"/> sends SIGKILL): no shutdown hooks run.</summary>
    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: _tree);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    /// <summary>Closes stdin (the shell then stops the host gracefully) and waits; kills it after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        try
        {
            _process.StandardInput.Close();
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // no stdin, or already closed
        }
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Kill();
            await _process.WaitForExitAsync(CancellationToken.None);
        }
    }

    /// <summary>Waits for the process to exit after a kill.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Kills every process the harness started that is still running.</summary>
    public static void KillAll()
    {
        List<ChildProcess> live;
        lock (Live) live = [.. Live];
        foreach (var child in live) child.Kill();
    }

    public void Dispose()
    {
        Kill();
        lock (Live) Live.Remove(this);
        _process.Dispose();
        lock (_logGate) _log.Dispose();
    }

    /// <summary>A free TCP port on 127.0.0.1.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private void Capture(string? line, Action<string>? onLine)
    {
        if (line is null) return;
        lock (_logGate)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
        onLine?.Invoke(line);
    }
}
