namespace Benchmem.Cli;

public static class Program
{
    public static int Main(string[] args) => BenchmemCli.Run(args, Console.Out, Console.Error);
}
