/** A small application using vmwguest from the module path; jlink links it with --bind-services. */
module dev.vmwguest.example.consumer {
    requires dev.vmwguest.rpci;
}
