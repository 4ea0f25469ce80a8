namespace Benchmem.Core.Results;

/// <summary>
/// A cross-process exclusive lock on a name: a file in the temp folder opened with no sharing (.NET takes an
/// advisory lock), retried until a deadline. The file stays, so waiters always contend for the same inode.
/// </summary>
public sealed class FileLock : IDisposable
{
    private readonly FileStream _stream;
    private readonly string _name;

    private FileLock(FileStream stream, string name)
    {
        _stream = stream;
        _name = name;
    }

    /// <summary>Locks <paramref name="name"/> (e.g. a results file's full path).</summary>
    public static FileLock Acquire(string name, TimeSpan timeout)
    {
        var hash = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(name)))[..16];
        var dir = Path.Combine(Path.GetTempPath(), "benchmem-locks");
        Directory.CreateDirectory(dir);
        var path = Path.Combine(dir, hash + ".lock");
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                return new FileLock(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None), name);
            }
            catch (IOException) when (DateTime.UtcNow < deadline)
            {
                Thread.Sleep(20);
            }
            catch (IOException e)
            {
                throw new IOException($"Benchmem: could not lock {name} within {timeout.TotalSeconds:F0} s: another run is writing it "
                    + $"(lock file {path}; delete it if no test run is active).", e);
            }
        }
    }

    public void Dispose() => _stream.Dispose();

    public override string ToString() => _name;
}
