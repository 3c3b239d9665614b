<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="es_ES">
<context>
    <name>DeliveryScreen</name>
    <message>
        <source>Your documents are kept on this device and sent as soon as the server answers. You may leave now.</source>
        <translation>Sus documentos se guardan en este equipo y se envían en cuanto el servidor responda. Ya puede irse.</translation>
    </message>
    <message>
        <source>The scanned pages are kept: resend or delete the job in My jobs.</source>
        <translation>Las páginas escaneadas se conservan: reenvíe o elimine el trabajo en Mis trabajos.</translation>
    </message>
    <message>
        <source>You can leave now: your documents are sent even after you sign out.</source>
        <translation>Ya puede irse: sus documentos se envían aunque cierre la sesión.</translation>
    </message>
    <message>
        <source>Scan something else</source>
        <translation>Escanear otra cosa</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>Mis trabajos</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <source>Scanning</source>
        <translation>Escaneando</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Esperando para enviar</translation>
    </message>
    <message>
        <source>Sending %1 of %2</source>
        <translation>Enviando %1 de %2</translation>
    </message>
    <message>
        <source>Processing on the scan server</source>
        <translation>Procesando en el servidor de escaneo</translation>
    </message>
    <message>
        <source>Scan server not reachable: kept, will retry</source>
        <extracomment>Job states (kiosk.jobs.spool) that end a job, and which of them is a success.</extracomment>
        <translation>Servidor de escaneo inaccesible: guardado, se reintentará</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Entregado</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Error</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Cancelado</translation>
    </message>
</context>
<context>
    <name>JobsScreen</name>
    <message>
        <source>My jobs</source>
        <translation>Mis trabajos</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Reenviar</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Eliminar</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Cargando…</translation>
    </message>
    <message>
        <source>You have no recent jobs.</source>
        <translation>No tiene trabajos recientes.</translation>
    </message>
    <message>
        <source>Touch a failed job to resend or delete it.</source>
        <translation>Toque un trabajo fallido para reenviarlo o eliminarlo.</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 páginas</translation>
    </message>
</context>
<context>
    <name>PanelWindow</name>
    <message>
        <source>Signing out in %1 s. Touch the screen to stay.</source>
        <translation>Cierre de sesión en %1 s. Toque la pantalla para continuar.</translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation>Entregado: %1</translation>
    </message>
    <message>
        <source>Delivery failed: %1. See My jobs.</source>
        <translation>Error de entrega: %1. Vea Mis trabajos.</translation>
    </message>
</context>
<context>
    <name>PrepareScreen</name>
    <message>
        <source>Put the page face down on the glass.</source>
        <translation>Coloque la página boca abajo sobre el cristal.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder.</source>
        <translation>Coloque las páginas boca arriba en el alimentador.</translation>
    </message>
    <message>
        <source>The feeder has paper.</source>
        <translation>El alimentador tiene papel.</translation>
    </message>
    <message>
        <source>The feeder is empty.</source>
        <translation>El alimentador está vacío.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Escanear</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Papel desde</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Color</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Resolución</translation>
    </message>
    <message>
        <source>File type</source>
        <translation>Tipo de archivo</translation>
    </message>
    <message>
        <source>Add e-mail recipient</source>
        <translation>Añadir destinatario</translation>
    </message>
    <message>
        <source>Also to: %1</source>
        <translation>También a: %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Listo</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Añadir</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>nombre@example.com</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>Dirección de correo</translation>
    </message>
    <message>
        <source>That is not an e-mail address. Check it and try again.</source>
        <translation>Eso no es una dirección de correo. Revísela e inténtelo de nuevo.</translation>
    </message>
    <message>
        <source>Added: %1</source>
        <translation>Añadido: %1</translation>
    </message>
    <message>
        <source>Type an address and touch Add.</source>
        <translation>Escriba una dirección y toque Añadir.</translation>
    </message>
</context>
<context>
    <name>ProblemScreen</name>
    <message>
        <source>Paper jam</source>
        <extracomment>The problem kinds, each with its own title and advice.</extracomment>
        <translation>Atasco de papel</translation>
    </message>
    <message>
        <source>The feeder is empty</source>
        <translation>El alimentador está vacío</translation>
    </message>
    <message>
        <source>The cover is open</source>
        <translation>La tapa está abierta</translation>
    </message>
    <message>
        <source>The scanner is busy</source>
        <translation>El escáner está ocupado</translation>
    </message>
    <message>
        <source>The scanner is not available</source>
        <translation>El escáner no está disponible</translation>
    </message>
    <message>
        <source>The scan server cannot be reached</source>
        <translation>No se puede conectar con el servidor de escaneo</translation>
    </message>
    <message>
        <source>The directory cannot be reached</source>
        <translation>No se puede conectar con el directorio</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Algo salió mal</translation>
    </message>
    <message>
        <source>Open the scanner, take out the jammed paper and close it again. Put the pages that were not scanned back in, then touch Try again. Pages already scanned are kept.</source>
        <translation>Abra el escáner, retire el papel atascado y ciérrelo. Vuelva a colocar las páginas no escaneadas y toque Reintentar. Las páginas ya escaneadas se conservan.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder, then touch Try again.</source>
        <translation>Coloque las páginas boca arriba en el alimentador y toque Reintentar.</translation>
    </message>
    <message>
        <source>Close the scanner&apos;s cover, then touch Try again.</source>
        <translation>Cierre la tapa del escáner y toque Reintentar.</translation>
    </message>
    <message>
        <source>The scanner is working on something else. Wait a moment, then touch Try again.</source>
        <translation>El escáner está ocupado. Espere un momento y toque Reintentar.</translation>
    </message>
    <message>
        <source>Check that the scanner is switched on and connected. If this goes on, call your administrator.</source>
        <translation>Compruebe que el escáner está encendido y conectado. Si continúa, llame a su administrador.</translation>
    </message>
    <message>
        <source>Your documents are kept on this device and sent as soon as the server answers. You may leave now.</source>
        <translation>Sus documentos se guardan en este equipo y se envían en cuanto el servidor responda. Ya puede irse.</translation>
    </message>
    <message>
        <source>Signing in is not possible right now. Try again in a few minutes, or call your administrator.</source>
        <translation>No es posible iniciar sesión ahora. Inténtelo en unos minutos o llame a su administrador.</translation>
    </message>
    <message>
        <source>Try again. If this goes on, call your administrator.</source>
        <translation>Inténtelo de nuevo. Si continúa, llame a su administrador.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Reintentar</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
</context>
<context>
    <name>ProcessesScreen</name>
    <message>
        <source>Hello, %1</source>
        <translation>Hola, %1</translation>
    </message>
    <message>
        <source>Scan processes</source>
        <translation>Procesos de escaneo</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>Mis trabajos</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Cerrar sesión</translation>
    </message>
    <message>
        <source>Loading your scan processes…</source>
        <translation>Cargando sus procesos de escaneo…</translation>
    </message>
    <message>
        <source>You have no scan processes yet. Ask your administrator to give you one in Scan Management, then sign in again.</source>
        <translation>Aún no tiene procesos de escaneo. Pida uno a su administrador en Administración de digitalización y vuelva a iniciar sesión.</translation>
    </message>
    <message>
        <source>Scan processes that could not be read: %1. Please tell your administrator.</source>
        <translation>Procesos de escaneo que no se pudieron leer: %1. Avise a su administrador.</translation>
    </message>
    <message>
        <source>Choose what to scan.</source>
        <translation>Elija qué desea escanear.</translation>
    </message>
</context>
<context>
    <name>ScanningScreen</name>
    <message>
        <source>Page %1</source>
        <translation>Página %1</translation>
    </message>
    <message>
        <source>Scanning: %1</source>
        <translation>Escaneando: %1</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 páginas</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 página</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Deteniendo…</translation>
    </message>
    <message>
        <source>The pages appear here as they are scanned.</source>
        <translation>Las páginas aparecen aquí a medida que se escanean.</translation>
    </message>
    <message>
        <source>Load more paper and touch Scan more pages, or touch Finish to send.</source>
        <translation>Cargue más papel y toque Escanear más páginas, o toque Finalizar para enviar.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Scan more pages</source>
        <translation>Escanear más páginas</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Finalizar</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <source>Service: administrator PIN</source>
        <translation>Servicio: PIN de administrador</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Atrás</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>PIN incorrecto.</translation>
    </message>
    <message>
        <source>Enter the PIN on the pad.</source>
        <translation>Introduzca el PIN en el teclado.</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>Retroceso</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>Aceptar</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Comprobar de nuevo</translation>
    </message>
    <message>
        <source>Restart panel</source>
        <translation>Reiniciar el panel</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Salir del modo quiosco</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Comprobando…</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Registro</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in to scan</source>
        <translation>Inicie sesión para escanear</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Servicio</translation>
    </message>
    <message>
        <source>Service (administrator)</source>
        <translation>Servicio (administrador)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Iniciar sesión</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Usuario</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Contraseña</translation>
    </message>
    <message>
        <source>Touch a field to type, or hold your badge to the reader.</source>
        <translation>Toque un campo para escribir o acerque su tarjeta al lector.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Iniciando sesión…</translation>
    </message>
    <message>
        <source>Enter your user name and your password.</source>
        <translation>Introduzca su usuario y su contraseña.</translation>
    </message>
    <message>
        <source>Badge recognised: enter your password.</source>
        <translation>Tarjeta reconocida: introduzca su contraseña.</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>Glass</source>
        <translation>Cristal</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>Alimentador</translation>
    </message>
    <message>
        <source>Feeder, both sides</source>
        <translation>Alimentador, doble cara</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>Película</translation>
    </message>
    <message>
        <source>Black and white</source>
        <translation>Blanco y negro</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Escala de grises</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Color</translation>
    </message>
    <message>
        <source>%1 dpi</source>
        <translation>%1 ppp</translation>
    </message>
    <message>
        <source>your e-mail</source>
        <translation>su correo</translation>
    </message>
    <message>
        <source>your SharePoint site</source>
        <translation>su sitio de SharePoint</translation>
    </message>
</context>
<context>
    <name>TouchKeyboard</name>
    <message>
        <source>Backspace</source>
        <extracomment>Width in half keys of the letter layer&apos;s special keys; every other key is 2.</extracomment>
        <translation>Retroceso</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Intro</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Mayús</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Espacio</translation>
    </message>
    <message>
        <source>Numbers and symbols</source>
        <translation>Números y símbolos</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Letras</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>Tecla %1</translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <source>Signing in failed.</source>
        <extracomment>Exit status asking the service manager to start the panel again (systemd: RestartForceExitStatus). How long the delivered/failed cue stays on screen. Scanner error classes (kiosk.scanner) → problem screen; others show their own message. Directory error codes (kiosk.directory.errors) that mean nobody can sign in right now. Emitted after every change of screen, with the screen&apos;s name.</extracomment>
        <translation>No se pudo iniciar sesión.</translation>
    </message>
</context>
</TS>
